// The FluxFunctions page: choose a tool (listed by GET api/tools) and an image, paint the mask where the tool takes one, submit to the HTTP API, watch the job's
// stages, compare before/after and download the results. Plain ES modules, no build step, no external resource.
import { ApiError, cancelEdit, getEdit, getOutput, getTools, loadKey, saveKey, submitEdit } from "./api.js";
import { bindCompare } from "./compare.js";
import { MaskPainter } from "./mask.js";

const STAGES = ["queued", "preparing", "submitting", "inferring", "storing", "completed"];
const FINAL = new Set(["completed", "failed", "canceled"]);
const POLL_MS = 700;

const $ = (id) => document.getElementById(id);
const ui = {
  key: $("key"), keyForget: $("key-forget"), keyState: $("key-state"), keyForm: $("key-form"),
  form: $("edit-form"), tool: $("tool"), image: $("image"), prompt: $("prompt"), submit: $("submit"), cancel: $("cancel"),
  wrap: $("canvas-wrap"), source: $("source"), canvas: $("mask-canvas"), maskTools: $("mask-tools"),
  brushSize: $("brush-size"), brushSizeValue: $("brush-size-value"), erase: $("erase"), paint: $("paint"), clear: $("clear"),
  problems: $("problems"), job: $("job"), jobStatus: $("job-status"), jobStage: $("job-stage"), jobElapsed: $("job-elapsed"),
  jobId: $("job-id"), stages: $("stages"),
  results: $("results"), before: $("before"), after: $("after"), slider: $("compare-slider"), line: $("compare-line"), outputs: $("outputs"),
};

const painter = new MaskPainter(ui.canvas, ui.source);
const updateCompare = bindCompare(ui.slider, ui.before, ui.line);
const state = { file: null, sourceUrl: null, job: null, timer: null, started: 0, resultUrls: [], tools: new Map() };
const SETTINGS = [["steps", "steps"], ["cfg-scale", "cfgScale"], ["seed", "seed"], ["width", "width"], ["height", "height"]];
let toolsLoading = 0;

// ---- key -----------------------------------------------------------------------------------------------------------
ui.key.value = loadKey();
showKeyState();
ui.key.addEventListener("input", () => {
  saveKey(ui.key.value.trim());
  showKeyState();
});
ui.keyForget.addEventListener("click", () => {
  ui.key.value = "";
  saveKey("");
  showKeyState();
});
ui.keyForm.addEventListener("submit", (e) => e.preventDefault());

function showKeyState() {
  ui.keyState.textContent = ui.key.value.trim() ? "kept for this tab" : "";
}

// ---- tool and options ----------------------------------------------------------------------------------------------
// What each tool takes comes from the server's tool descriptions: fieldsets marked data-field show for the tools that
// take that field, data-guide for the tools with that guide kind; the mask painter shows where a mask is taken.
ui.tool.addEventListener("change", applyTool);
applyTool();
loadTools();

async function loadTools() {
  const attempt = ++toolsLoading;
  try {
    const { tools } = await getTools();
    if (attempt !== toolsLoading) {
      return;
    }

    const previous = ui.tool.value;
    state.tools = new Map(tools.map((t) => [t.name, t]));
    ui.tool.replaceChildren(...tools.map((t) => {
      const option = document.createElement("option");
      option.value = t.name;
      option.textContent = `${t.title} — ${t.label}`;
      option.title = t.summary;
      return option;
    }));
    ui.tool.value = state.tools.has(previous) ? previous : tools[0]?.name ?? "";
    hideProblems();
  } catch (error) {
    if (attempt === toolsLoading) {
      showError(error);
    }
  }

  applyTool();
}

function currentTool() {
  return state.tools.get(ui.tool.value) ?? null;
}

function applyTool() {
  const tool = currentTool();
  const fields = new Set(tool?.fields ?? []);
  const refused = new Set(tool?.refuses ?? []);
  for (const element of document.querySelectorAll("[data-field], [data-guide]")) {
    const visible = element.dataset.field ? fields.has(element.dataset.field) : tool?.guide === element.dataset.guide;
    element.hidden = !visible;
    if (element instanceof HTMLOptionElement) {
      element.disabled = !visible;
      if (!visible && element.selected) {
        element.parentElement.value = "";
      }
    }
  }

  for (const [id, name] of SETTINGS) {
    $(id).disabled = refused.has(name);
  }

  const models = tool?.models ?? [];
  $("model-choice").hidden = models.length === 0;
  if ($("model").dataset.tool !== tool?.name) {
    $("model").dataset.tool = tool?.name ?? "";
    $("model").replaceChildren(...models.map((m) => {
      const option = document.createElement("option");
      option.value = m;
      option.textContent = m;
      return option;
    }));
  }

  const masked = tool !== null && tool.mask !== "none";
  ui.maskTools.hidden = !masked || !state.file;
  ui.canvas.hidden = !masked || !state.file;
  painter.enabled = masked;
  ui.prompt.disabled = tool?.prompt === "forbidden";
  ui.prompt.placeholder = tool?.prompt === "forbidden" ? `${tool.title} takes no prompt`
    : tool?.prompt === "optional" ? `Optional for ${tool.name}` : "What the result should show";
}

function numberField(id) {
  const raw = $(id).value.trim();
  return raw === "" ? undefined : Number(raw);
}

function collectOptions() {
  const info = currentTool();
  const tool = ui.tool.value;
  const fields = new Set(info?.fields ?? []);
  const options = { tool };
  const prompt = ui.prompt.value.trim();
  if (prompt && info?.prompt !== "forbidden") {
    options.prompt = prompt;
  }

  for (const [id, name] of SETTINGS) {
    const value = numberField(id);
    if (value !== undefined && !(info?.refuses ?? []).includes(name)) {
      options[name] = value;
    }
  }

  const results = Number($("number-results").value);
  if (results !== 1) {
    options.numberResults = results;
  }

  const format = $("output-format").value;
  if (format !== "PNG") {
    options.outputFormat = format;
  }

  // Runware's content check: only what is chosen here, the rest is the deployment's default.
  const safety = {};
  if ($("safety-check").value) {
    safety.check = $("safety-check").value;
  }

  if ($("safety-on-flagged").value) {
    safety.onFlagged = $("safety-on-flagged").value;
  }

  if (Object.keys(safety).length > 0) {
    options.safety = safety;
  }

  if (fields.has("outpaint")) {
    const outpaint = {};
    for (const side of ["top", "right", "bottom", "left"]) {
      const value = numberField(`outpaint-${side}`);
      if (value) {
        outpaint[side] = value;
      }
    }

    if (Object.keys(outpaint).length > 0) {
      options.outpaint = outpaint;
    }
  }

  if (fields.has("preprocess")) {
    const preprocess = {};
    const mode = $("preprocess-mode").value;
    if (mode) {
      preprocess.mode = mode;
    }

    if (info.guide === "canny") {
      const low = numberField("low-threshold");
      const high = numberField("high-threshold");
      if (low !== undefined) preprocess.lowThreshold = low;
      if (high !== undefined) preprocess.highThreshold = high;
    }

    if (Object.keys(preprocess).length > 0) {
      options.preprocess = preprocess;
    }
  }

  if ((info?.models ?? []).length > 0 && $("model").value && $("model").value !== info.models[0]) {
    options.model = $("model").value;
  }

  if (fields.has("baseModel")) {
    const model = $("base-model").value.trim();
    if (model) {
      options.baseModel = model;
    }
  }

  return options;
}

// ---- image and mask ------------------------------------------------------------------------------------------------
ui.image.addEventListener("change", () => useFile(ui.image.files[0]));
ui.wrap.addEventListener("dragover", (e) => {
  e.preventDefault();
  ui.wrap.classList.add("dragging");
});
ui.wrap.addEventListener("dragleave", () => ui.wrap.classList.remove("dragging"));
ui.wrap.addEventListener("drop", (e) => {
  e.preventDefault();
  ui.wrap.classList.remove("dragging");
  const file = e.dataTransfer.files[0];
  if (file) {
    useFile(file);
  }
});

function useFile(file) {
  if (!file) {
    return;
  }

  if (!/^image\/(png|jpeg|webp)$/.test(file.type)) {
    showProblems(`${file.name} is not a PNG, JPEG or WebP image.`);
    return;
  }

  hideProblems();
  state.file = file;
  if (state.sourceUrl) {
    URL.revokeObjectURL(state.sourceUrl);
  }

  state.sourceUrl = URL.createObjectURL(file);
  ui.source.onload = () => {
    ui.source.hidden = false;
    ui.wrap.classList.remove("empty");
    applyTool();
    painter.reset();
    ui.wrap.dataset.ready = "true";
  };
  ui.source.src = state.sourceUrl;
}

ui.brushSize.addEventListener("input", () => {
  painter.size = Number(ui.brushSize.value);
  ui.brushSizeValue.textContent = ui.brushSize.value;
});
for (const radio of [ui.paint, ui.erase]) {
  radio.addEventListener("change", () => {
    painter.erasing = ui.erase.checked;
  });
}
ui.clear.addEventListener("click", () => painter.clear());
window.addEventListener("resize", () => painter.fit());

// ---- submit and follow ---------------------------------------------------------------------------------------------
ui.form.addEventListener("submit", async (e) => {
  e.preventDefault();
  hideProblems();
  const key = ui.key.value.trim();
  if (!state.file) {
    showProblems("Choose an image first.");
    return;
  }

  const info = currentTool();
  if (!info) {
    showProblems("The tools could not be loaded from the API; reload the page.");
    return;
  }

  const options = collectOptions();
  let mask = null;
  if (info.mask !== "none") {
    if (painter.hasPaint()) {
      mask = await painter.toBlob();
    } else if (info.mask === "required" || !options.outpaint) {
      const or = info.mask === "requiredUnlessOutpaint" ? " (or set outpaint sizes)" : "";
      showProblems(`Paint the area to change on the image${or} before submitting a ${info.name} edit.`);
      return;
    }
  }

  ui.submit.disabled = true;
  try {
    const accepted = await submitEdit(key, state.file, mask, options);
    startFollowing(accepted.id);
  } catch (error) {
    ui.submit.disabled = false;
    showError(error);
  }
});

ui.cancel.addEventListener("click", async () => {
  if (!state.job) {
    return;
  }

  ui.cancel.disabled = true;
  try {
    render(await cancelEdit(ui.key.value.trim(), state.job));
  } catch (error) {
    showError(error);
  } finally {
    ui.cancel.disabled = false;
  }
});

function startFollowing(id) {
  clearTimeout(state.timer);
  state.job = id;
  state.started = performance.now();
  ui.results.hidden = true;
  ui.outputs.replaceChildren();
  for (const url of state.resultUrls) {
    URL.revokeObjectURL(url);
  }

  state.resultUrls = [];
  ui.jobId.textContent = id;
  ui.job.hidden = false;
  ui.cancel.hidden = false;
  render({ id, status: "pending", stage: "queued" });
  poll(id, 0);
}

async function poll(id, failures) {
  if (state.job !== id) {
    return;
  }

  let view;
  try {
    view = await getEdit(ui.key.value.trim(), id);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 0 || error.status >= 500) && failures < 8) {
      ui.jobElapsed.textContent = "connection lost, retrying…";
      state.timer = setTimeout(() => poll(id, failures + 1), Math.min(5000, POLL_MS * 2 ** (failures + 1)));
      return;
    }

    ui.submit.disabled = false;
    showError(error);
    return;
  }

  if (state.job !== id) {
    return;
  }

  render(view);
  if (FINAL.has(view.status)) {
    ui.submit.disabled = false;
    ui.cancel.hidden = true;
    if (view.status === "completed") {
      await showResults(view);
    } else if (view.error) {
      showProblems(`${view.status === "canceled" ? "Canceled" : "Failed"}${view.stage ? ` at ${view.stage}` : ""}: ${view.error.message}`,
        view.error.parameter ? [{ parameter: view.error.parameter, message: view.error.code ?? "" }] : []);
    }

    return;
  }

  state.timer = setTimeout(() => poll(id, 0), POLL_MS);
}

function render(view) {
  ui.job.dataset.status = view.status;
  ui.jobStatus.textContent = view.status;
  ui.jobStage.textContent = view.stage && view.stage !== view.status ? view.stage : "";
  ui.jobElapsed.textContent = `${((performance.now() - state.started) / 1000).toFixed(1)} s`;
  const current = STAGES.indexOf(view.stage);
  ui.stages.replaceChildren(...STAGES.map((stage, i) => {
    const item = document.createElement("li");
    item.textContent = stage;
    if (view.status === "completed" || (current >= 0 && i < current)) {
      item.className = "done";
    } else if (i === current) {
      item.className = view.status === "failed" || view.status === "canceled" ? "failed" : "current";
    }

    return item;
  }));
}

async function showResults(view) {
  const key = ui.key.value.trim();
  const stem = (state.file?.name ?? "image").replace(/\.[^.]+$/, "");
  ui.before.src = state.sourceUrl;
  const items = [];
  for (const output of view.outputs ?? []) {
    let blob;
    try {
      blob = await getOutput(key, view.id, output.index);
    } catch (error) {
      showError(error);
      continue;
    }

    const url = URL.createObjectURL(blob);
    state.resultUrls.push(url);
    const extension = (output.format ?? "PNG").toLowerCase();
    const item = document.createElement("li");
    const choose = document.createElement("button");
    choose.type = "button";
    choose.title = `Compare output ${output.index}`;
    choose.setAttribute("aria-pressed", "false");
    const thumb = document.createElement("img");
    thumb.src = url;
    thumb.alt = `Output ${output.index}`;
    choose.append(thumb);
    choose.addEventListener("click", () => select(url, choose));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${stem}.${view.tool ?? "edit"}.${output.index}.${extension}`;
    link.className = "download";
    link.textContent = `Download ${output.width}×${output.height}${output.seed !== undefined ? ` · seed ${output.seed}` : ""}`;
    item.append(choose, link);
    if (output.flagged) {
      // Kept with safety.onFlagged "record": say so beside it.
      const flag = document.createElement("span");
      flag.className = "flagged";
      flag.textContent = "flagged by Runware's safety check";
      item.append(flag);
    }

    items.push({ url, choose });
    ui.outputs.append(item);
  }

  if (items.length > 0) {
    select(items[0].url, items[0].choose);
    ui.results.hidden = false;
  }
}

function select(url, button) {
  for (const other of ui.outputs.querySelectorAll("button")) {
    other.setAttribute("aria-pressed", String(other === button));
  }

  ui.after.src = url;
  ui.slider.value = 50;
  updateCompare();
}

// ---- problems ------------------------------------------------------------------------------------------------------
function showError(error) {
  if (error instanceof ApiError) {
    showProblems(error.message, error.problem?.errors ?? []);
    if (error.status === 401) {
      ui.key.focus();
    }
  } else {
    showProblems(String(error?.message ?? error));
  }
}

function showProblems(message, errors = []) {
  const title = document.createElement("strong");
  title.textContent = message;
  const children = [title];
  if (errors.length > 0) {
    const list = document.createElement("ul");
    for (const e of errors) {
      const item = document.createElement("li");
      if (e.parameter) {
        const code = document.createElement("code");
        code.textContent = e.parameter;
        item.append(code, ": ");
      }

      item.append(e.message ?? "");
      list.append(item);
    }

    children.push(list);
  }

  ui.problems.replaceChildren(...children);
  ui.problems.hidden = false;
}

function hideProblems() {
  ui.problems.hidden = true;
  ui.problems.replaceChildren();
}
