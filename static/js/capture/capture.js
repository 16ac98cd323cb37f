// The capture page: take photos, video, files, a reflection or a link for a draft — with
// or without a connection. Everything goes to IndexedDB first (with its client_uuid) and
// uploads on page load, when the connection comes back, on Background Sync, and on "Sync
// now"; the queue view shows where each item is.
import "../queue/idb.js";
import "../queue/core.js";
import { downscalePhoto, jpegName } from "./photo.js";
import { countText, fullText, renderPart, showRoom } from "./parts.js";
import { renderQueue, showProgress, summarize } from "./queue-view.js";
import { xhrTransport } from "../lib/upload.js";
import { newUuid } from "../lib/uuid.js";

const idb = self.ChalkmarkIdb;
const queue = self.ChalkmarkQueue;
const SAVED_KEPT_MS = 24 * 60 * 60 * 1000;
const $ = (id) => document.getElementById(id);
const draftId = Number(new URLSearchParams(location.search).get("submission")) || null;
const percents = new Map();
let draft = null;
let retryTimer = null;
let failedRuns = 0;

function say(text, { warning = false } = {}) {
  const box = $("capture-message");
  box.hidden = !text;
  box.textContent = text || "";
  box.classList.toggle("notice-warning", warning);
}

async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

// --- which draft ------------------------------------------------------------------------

async function freshSnapshot(id) {
  if (!navigator.onLine) return null;
  try {
    const answer = await getJson(`/submissions/${id}/capture.json`);
    if (answer.status === 200) return idb.put("drafts", answer.body);
    if (answer.status === 404) await idb.remove("drafts", id);
    if (answer.status === 401) say("Sign in to see this draft. Anything already on this device is kept.", { warning: true });
    return answer.status === 404 ? { missing: true } : null;
  } catch (_) {
    return null;  // no connection after all: the copy on this device will do
  }
}

async function loadDraft(id) {
  const fresh = await freshSnapshot(id);
  if (fresh?.missing) return null;
  return fresh || (await idb.get("drafts", id)) || null;
}

async function refreshAllDrafts() {
  if (!navigator.onLine) return;
  try {
    const answer = await getJson("/capture/drafts.json");
    if (answer.status === 200) for (const snapshot of answer.body.drafts) await idb.put("drafts", snapshot);
  } catch (_) { /* offline: use what is on the device */ }
}

async function showPicker() {
  await refreshAllDrafts();
  const drafts = (await idb.all("drafts")).filter((d) => d.is_draft);
  $("draft-picker").hidden = false;
  $("capture-draft").textContent = "Pick the draft this evidence is for.";
  const list = $("draft-list");
  list.replaceChildren(...drafts.map((d) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = d.capture_url;
    a.textContent = `${d.credential.title} (attempt ${d.attempt})`;
    li.append(a);
    return li;
  }));
  if (!drafts.length) say("No drafts on this device yet. Start a credential, or open your draft once while online.");
}

function showDraft(snapshot) {
  const line = $("capture-draft");
  const link = document.createElement("a");
  link.href = snapshot.url;
  link.textContent = snapshot.credential.title;
  line.replaceChildren(document.createTextNode("For "), link, document.createTextNode(`, attempt ${snapshot.attempt}`));
  if (!snapshot.is_draft) {
    say("This attempt has been submitted, so it can't take more evidence.", { warning: true });
    return;
  }
  $("capture-parts").hidden = false;
  $("part-list").replaceChildren(...snapshot.requirements.map((part) => renderPart(part, { onFiles: captureFiles, onValue: captureWritten })));
}

// --- capturing --------------------------------------------------------------------------

function common(part, note) {
  return {
    client_uuid: newUuid(), submission_id: draft.id, user_id: draft.user_id, requirement_id: part.id,
    part_number: part.number, kind: part.kind, note, upload_url: draft.upload_url,
    resumable_url: draft.resumable_url, credential_title: draft.credential.title,
  };
}

async function prepareFile(part, file) {
  if (part.kind === "photo") {
    const small = await downscalePhoto(file);
    if (small) return { blob: small.blob, filename: jpegName(file.name), mime: "image/jpeg", size: small.blob.size, width: small.width, height: small.height };
  }
  return { blob: file, filename: file.name, mime: file.type, size: file.size };
}

// Room left in a part: its most, less what the server has and what waits on this device.
// Anything beyond it would only fail on upload ("takes at most …"), so it is refused here.
async function roomLeft(part) {
  const items = await queue.list();
  return part.max_count - savedCount(part, items) - waitingCount(part, items);
}

function waitingCount(part, items) {
  return items.filter((i) => i.requirement_id === part.id && i.status !== "saved").length;
}

function savedCount(part, items) {
  const since = Date.parse(draft.fetched_at || 0);
  return part.saved + items.filter((i) => i.requirement_id === part.id && i.status === "saved" && Date.parse(i.saved_at) > since).length;
}

function refuse(part, count) {
  const what = count === 1 ? "1 item was" : `${count} items were`;
  say(`Not kept: ${what} more than part ${part.number} can take. ${fullText(part)}`, { warning: true });
}

async function captureFiles(part, allFiles, note) {
  navigator.storage?.persist?.().catch(() => {});
  const room = await roomLeft(part);
  const files = allFiles.slice(0, Math.max(room, 0));
  if (files.length < allFiles.length) refuse(part, allFiles.length - files.length);
  if (!files.length) return;
  for (const file of files) {
    const captured = new Date(file.lastModified || Date.now()).toISOString();
    const prepared = await prepareFile(part, file);
    await queue.add({ ...common(part, note), ...prepared, label: file.name || part.kind, captured_at: captured });
  }
  if (files.length === allFiles.length) {
    say(`${files.length === 1 ? "1 item" : `${files.length} items`} kept on this device${navigator.onLine ? "; uploading now." : ". It uploads when you're back online."}`);
  }
  kick();
}

async function captureWritten(part, value, note) {
  if ((await roomLeft(part)) <= 0) {
    refuse(part, 1);
    return;
  }
  const record = part.kind === "text"
    ? { text: value, size: new Blob([value]).size, label: value.length > 60 ? `${value.slice(0, 60)}…` : value }
    : { url: value, size: value.length, label: value };
  await queue.add({ ...common(part, note), ...record, captured_at: new Date().toISOString() });
  say(`Kept on this device${navigator.onLine ? "; uploading now." : ". It uploads when you're back online."}`);
  kick();
}

// --- uploading --------------------------------------------------------------------------

async function registerBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register(queue.SYNC_TAG);
  } catch (_) { /* no Background Sync here: page load, online and "Sync now" cover it */ }
}

function kick() {
  registerBackgroundSync();
  if (navigator.onLine) flushNow();
}

async function flushNow() {
  clearTimeout(retryTimer);
  let result;
  try {
    result = await queue.flush(xhrTransport);
  } catch (_) {
    result = { pending: 1 };  // storage trouble: nothing is lost, try again shortly
  }
  if (result.signedOut) {
    say("Sign in to upload. Your captures are kept on this device until you do.", { warning: true });
    return;
  }
  if (result.pending > 0) {
    // Keep trying while online; the `online` event restarts it straight away otherwise.
    failedRuns += 1;
    const delay = Math.min(30000, 1000 * 2 ** Math.min(failedRuns, 5));
    retryTimer = setTimeout(() => { if (navigator.onLine) flushNow(); }, delay);
  } else {
    failedRuns = 0;
  }
}

// --- the queue view ---------------------------------------------------------------------

let drawTimer = null;

function redraw() {
  clearTimeout(drawTimer);
  drawTimer = setTimeout(drawQueue, 30);
}

async function drawQueue() {
  const items = await queue.list();
  $("queue-summary").textContent = summarize(items);
  renderQueue($("queue-list"), items, { percents, draftId: draft?.id, onRetry: retryItem, onDiscard: discardItem });
  if (draft?.is_draft) updateCounts(items);
}

function updateCounts(items) {
  for (const part of draft.requirements) {
    const onDevice = waitingCount(part, items);
    const saved = savedCount(part, items);
    const li = document.getElementById(`capture-${part.id}`);
    if (!li) continue;
    li.querySelector(".part-count").textContent = countText({ ...part, saved }, onDevice);
    showRoom(li, part, part.max_count - saved - onDevice);
  }
}

async function retryItem(item) {
  await queue.retry(item.client_uuid);
  if (navigator.onLine) flushNow();
  else say("You're offline. It will upload when you're back online.");
}

async function discardItem(item) {
  const sure = window.confirm("This hasn't reached Chalkmark yet. Remove it from this device for good?");
  if (sure) await queue.discard(item.client_uuid);
}

function listen() {
  const channel = new BroadcastChannel(queue.CHANNEL);
  channel.addEventListener("message", ({ data }) => {
    if (data.type === "progress") {
      percents.set(data.client_uuid, data.percent);
      showProgress($("queue-list"), data.client_uuid, data.percent);
    } else {
      redraw();
    }
  });
  window.addEventListener("online", () => { failedRuns = 0; say(""); flushNow(); });
  window.addEventListener("offline", () => say("You're offline. Keep capturing: everything stays on this device."));
  $("sync-now").addEventListener("click", () => {
    if (!navigator.onLine) {
      say("You're offline. Everything is kept on this device and uploads when you're back online.", { warning: true });
      return;
    }
    say("Syncing…");
    failedRuns = 0;
    flushNow().then(() => { if ($("capture-message").textContent === "Syncing…") say(""); });
  });
}

async function start() {
  listen();
  await queue.pruneSaved(SAVED_KEPT_MS);
  if (draftId) {
    draft = await loadDraft(draftId);
    if (draft) {
      draft.fetched_at = draft.fetched_at || new Date().toISOString();
      showDraft(draft);
    } else {
      $("capture-draft").textContent = "";
      say(navigator.onLine ? "We couldn't find that draft." : "This draft isn't on this device yet. Open it once while online, then it works offline too.", { warning: true });
    }
  } else {
    await showPicker();
  }
  await drawQueue();
  document.body.dataset.captureReady = "true";  // for tests and styles: the page is live
  if (navigator.onLine) flushNow();
}

start();
