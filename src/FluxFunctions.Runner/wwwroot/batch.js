// The page's view of a batch: the counts of GET api/batches/{tool}/{path} for an input folder of blob drops, refreshed
// until nothing under it is in progress. Built with textContent only: blob names and error messages are user data.
import { getBatch, loadKey } from "./api.js";

const REFRESH_MS = 3000;
const $ = (id) => document.getElementById(id);
const ui = {
  form: $("batch-form"), prefix: $("batch-prefix"), view: $("batch"), bar: $("batch-bar"), listed: $("batch-listed"),
  total: $("batch-total"), completed: $("batch-completed"), failed: $("batch-failed"), canceled: $("batch-canceled"),
  inProgress: $("batch-in-progress"), flaggedCount: $("batch-flagged-count"), flagged: $("batch-flagged"), quarantined: $("batch-quarantined"), stages: $("batch-stages"), codes: $("batch-codes"), failures: $("batch-failures"),
};
let following = { prefix: "", timer: null, round: 0 };

ui.form.addEventListener("submit", (e) => {
  e.preventDefault();
  const prefix = ui.prefix.value.trim().replace(/^\/+/, "");
  if (!prefix) {
    ui.prefix.focus();
    return;
  }

  clearTimeout(following.timer);
  following = { prefix, timer: null, round: following.round + 1 };
  refresh(following.round);
});

async function refresh(round) {
  let batch;
  try {
    batch = await getBatch(loadKey(), following.prefix);
  } catch (error) {
    if (round === following.round) {
      showError(error.message);
    }

    return;
  }

  if (round !== following.round) {
    return;
  }

  render(batch);
  if (!batch.done) {
    following.timer = setTimeout(() => refresh(round), REFRESH_MS);
  }
}

function render(batch) {
  ui.view.hidden = false;
  ui.view.dataset.done = String(batch.done);
  ui.view.classList.remove("error");
  ui.total.textContent = batch.total;
  ui.completed.textContent = batch.completed;
  ui.failed.textContent = batch.failed;
  ui.canceled.textContent = batch.canceled;
  ui.inProgress.textContent = batch.inProgress;
  ui.flaggedCount.hidden = !batch.flagged;
  ui.flagged.textContent = batch.flagged ?? 0;
  ui.quarantined.textContent = batch.quarantined ?? 0;
  ui.bar.max = Math.max(1, batch.total);
  ui.bar.value = batch.total - batch.inProgress;
  ui.listed.textContent = `${batch.prefix} · listed ${new Date(batch.listedAt).toLocaleTimeString()}${batch.done ? " · done" : ""}`;
  fillCounts(ui.stages, batch.inProgressByStage, "nothing in progress");
  fillCounts(ui.codes, batch.failedByCode, "no failures");
  ui.failures.replaceChildren(...batch.recentFailures.map((f) => {
    const li = document.createElement("li");
    const name = document.createElement("code");
    name.textContent = f.blob;
    const code = document.createElement("b");
    code.textContent = ` ${f.code}`;
    const message = document.createElement("span");
    message.textContent = ` ${f.stage ? "(" + f.stage + ") " : ""}${f.message}`;
    li.append(name, code, message);
    return li;
  }));
}

function fillCounts(list, counts, empty) {
  const entries = Object.entries(counts ?? {});
  list.replaceChildren(...(entries.length === 0 ? [item(empty, "hint")] : entries.map(([name, n]) => item(`${name}: ${n}`))));
}

function item(text, className) {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) {
    li.className = className;
  }

  return li;
}

function showError(message) {
  ui.view.hidden = false;
  ui.view.classList.add("error");
  ui.listed.textContent = message;
}
