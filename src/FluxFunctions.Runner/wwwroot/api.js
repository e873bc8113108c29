// The HTTP API of SPEC §3 as the page uses it. Routes are relative ("api/edits"), so the page also works behind a
// path prefix. The key travels in the x-functions-key header, never in a URL.

const KEY_STORAGE = "flux.key";

/** The key kept for this tab (sessionStorage: gone when the tab closes). */
export function loadKey() {
  return sessionStorage.getItem(KEY_STORAGE) ?? "";
}

export function saveKey(key) {
  if (key) {
    sessionStorage.setItem(KEY_STORAGE, key);
  } else {
    sessionStorage.removeItem(KEY_STORAGE);
  }
}

/** A failed call: the HTTP status and the problem+json body when there is one. */
export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

async function call(method, path, { body, key, expect = "json" } = {}) {
  const headers = { Accept: "application/json" };
  if (key) {
    headers["x-functions-key"] = key;
  }

  let response;
  try {
    response = await fetch(path, { method, body, headers, cache: "no-store", credentials: "omit" });
  } catch (e) {
    throw new ApiError(0, null, "The API cannot be reached: " + e.message);
  }

  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }

    const message = response.status === 401
      ? "The API key was refused: enter the runner's key at the top of the page."
      : problem?.detail ?? problem?.title ?? `The API answered ${response.status}.`;
    throw new ApiError(response.status, problem, message);
  }

  return expect === "blob" ? response.blob() : response.json();
}

/** POST api/edits as multipart/form-data: image and mask files, options JSON. Resolves to {id, statusUrl}. */
export function submitEdit(key, image, mask, options) {
  const form = new FormData();
  form.append("options", JSON.stringify(options));
  form.append("image", image, image.name || "image.png");
  if (mask) {
    form.append("mask", mask, "mask.png");
  }

  return call("POST", "api/edits", { body: form, key });
}

/** GET api/tools (no key needed): the tools the deployment offers and their rules. Resolves to {tools: [...]}. */
export function getTools() {
  return call("GET", "api/tools");
}

/** GET api/edits/{id}. */
export function getEdit(key, id) {
  return call("GET", `api/edits/${encodeURIComponent(id)}`, { key });
}

/** DELETE api/edits/{id}. */
export function cancelEdit(key, id) {
  return call("DELETE", `api/edits/${encodeURIComponent(id)}`, { key });
}

/** GET api/edits/{id}/outputs/{index} as a Blob. */
export function getOutput(key, id, index) {
  return call("GET", `api/edits/${encodeURIComponent(id)}/outputs/${index}`, { key, expect: "blob" });
}

/** GET api/batches/{tool}/{path}: counts for every image dropped under that input prefix. */
export function getBatch(key, prefix) {
  const path = prefix.split("/").filter((p) => p.length > 0).map(encodeURIComponent).join("/");
  return call("GET", `api/batches/${path}`, { key });
}
