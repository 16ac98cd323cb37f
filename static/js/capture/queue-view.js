// The "On this device" list: every capture with its state — waiting, uploading (n %),
// saved, or failed with the reason and a retry.

const previews = new Map();  // client_uuid -> object URL of the photo kept on the device

function previewUrl(item) {
  if (previews.has(item.client_uuid)) return previews.get(item.client_uuid);
  const url = URL.createObjectURL(item.blob);
  previews.set(item.client_uuid, url);
  return url;
}

function forgetPreviews(items) {
  const keep = new Set(items.filter((item) => item.blob).map((item) => item.client_uuid));
  for (const [uuid, url] of previews) {
    if (!keep.has(uuid)) {
      URL.revokeObjectURL(url);
      previews.delete(uuid);
    }
  }
}

function statusText(item, percent) {
  switch (item.status) {
    case "uploading": return `Uploading ${percent ?? 0} %`;
    case "saved": return "Saved to your draft";
    case "failed": return `Failed: ${item.error || "it didn't upload."}`;
    default: return item.error ? `Waiting to upload. ${item.error}` : "Waiting to upload";
  }
}

function button(label, onClick, extraClass = "") {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `button button-small ${extraClass}`.trim();
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

function thumbnail(item) {
  const src = item.blob && item.kind === "photo" ? previewUrl(item) : (item.status === "saved" ? item.thumb_url : null);
  if (!src) return null;
  const img = document.createElement("img");
  img.className = "queue-thumb";
  img.alt = "";
  img.width = 64;
  img.height = 64;
  img.src = src;
  img.addEventListener("error", () => img.remove());  // a saved thumb while offline
  return img;
}

function row(item, { percents, draftId, onRetry, onDiscard }) {
  const li = document.createElement("li");
  li.className = `queue-item queue-${item.status}`;
  li.dataset.uuid = item.client_uuid;
  li.dataset.status = item.status;
  const thumb = thumbnail(item);
  if (thumb) li.append(thumb);
  const body = document.createElement("div");
  body.className = "queue-body";
  const label = document.createElement("p");
  label.className = "queue-label";
  const where = item.submission_id === draftId ? "" : `${item.credential_title || "Another draft"} · `;
  label.textContent = `${where}Part ${item.part_number}: ${item.label || item.kind}`;
  const status = document.createElement("p");
  status.className = item.status === "failed" ? "queue-status field-error" : "queue-status";
  status.textContent = statusText(item, percents.get(item.client_uuid));
  body.append(label, status);
  if (item.status === "uploading") {
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = percents.get(item.client_uuid) ?? 0;
    bar.setAttribute("aria-label", `Upload progress for ${item.label || item.kind}`);
    body.append(bar);
  }
  const actions = document.createElement("div");
  actions.className = "button-row";
  if (item.status === "failed") actions.append(button("Retry", () => onRetry(item)));
  if (item.status === "failed" || item.status === "waiting") {
    actions.append(button("Remove", () => onDiscard(item), "button-secondary"));
  }
  if (actions.childElementCount) body.append(actions);
  li.append(body);
  return li;
}

export function summarize(items) {
  const counts = { waiting: 0, uploading: 0, saved: 0, failed: 0 };
  for (const item of items) counts[item.status] = (counts[item.status] || 0) + 1;
  const parts = Object.entries(counts).filter(([, n]) => n).map(([status, n]) => `${n} ${status}`);
  return parts.length ? parts.join(" · ") : "Nothing captured yet.";
}

export function renderQueue(list, items, options) {
  forgetPreviews(items);
  list.replaceChildren(...items.map((item) => row(item, options)));
}

// Progress arrives many times a second: update the one row instead of redrawing.
export function showProgress(list, uuid, percent) {
  const li = list.querySelector(`li[data-uuid="${CSS.escape(uuid)}"]`);
  if (!li || li.dataset.status !== "uploading") return;
  const bar = li.querySelector("progress");
  if (bar) bar.value = percent;
  li.querySelector(".queue-status").textContent = `Uploading ${percent} %`;
}
