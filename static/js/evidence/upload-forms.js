// Upgrades the evidence forms on a draft: each chosen file uploads on its own with a
// progress bar (lib/upload.js: XMLHttpRequest, for the progress), then the
// saved item replaces the bar. Without this script the same forms post and come back.

import { csrfToken } from "../lib/csrf.js";
import { xhrTransport } from "../lib/upload.js";
import { newUuid } from "../lib/uuid.js";
import { countWords } from "./word-count.js";

let pendingCount = 0;

function pendingItem(label) {
  const id = `upload-${++pendingCount}`;
  const li = document.createElement("li");
  li.className = "evidence-item evidence-uploading";
  const text = document.createElement("p");
  text.id = `${id}-label`;
  text.textContent = `Uploading ${label}`;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  bar.className = "progress";
  bar.setAttribute("aria-labelledby", text.id);
  const percent = document.createElement("span");
  percent.className = "upload-percent";
  percent.textContent = "0 %";
  li.append(text, bar, percent);
  return { li, bar, percent };
}

function showFailure(view, message, retry) {
  view.li.classList.add("evidence-failed");
  view.bar.remove();
  view.percent.remove();
  const alert = document.createElement("p");
  alert.className = "field-error";
  alert.setAttribute("role", "alert");
  alert.textContent = message;
  const row = document.createElement("div");
  row.className = "button-row";
  if (retry) row.append(button("Try again", () => { view.li.remove(); retry(); }));
  row.append(button("Dismiss", () => view.li.remove()));
  view.li.append(alert, row);
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "button button-secondary button-small";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

const inFlight = new Map();  // part element id -> uploads still running

function partOf(form) {
  return form.closest(".evidence-part");
}

// Replace the whole part with the server's fragment: its picker, "full" note and counts
// then match what is saved. Rows still uploading or failed (with their reason) stay;
// so does the focus.
const refreshes = new Map();  // part element id -> the refresh running for it

// One refresh at a time per part, each fetching when its turn comes: the last answer
// shown is always the newest.
function refreshPart(partId) {
  const next = (refreshes.get(partId) || Promise.resolve()).then(() => replacePart(partId)).catch(() => {});
  refreshes.set(partId, next);
  return next;
}

async function replacePart(partId) {
  const old = document.getElementById(partId);
  if (!old?.dataset.partUrl) return;
  const response = await fetch(old.dataset.partUrl, { headers: { "HX-Request": "true" } });
  if (!response.ok) return;
  const template = document.createElement("template");
  template.innerHTML = (await response.text()).trim();
  const fresh = template.content.firstElementChild;
  const kept = old.querySelectorAll(".evidence-failed, .evidence-uploading");
  const focusedId = old.contains(document.activeElement) ? document.activeElement.id : null;
  old.replaceWith(fresh);
  fresh.querySelector(".evidence-items")?.append(...kept);
  window.htmx?.process(fresh);
  enhance(fresh);
  restoreFocus(fresh, focusedId);
  refreshSubmitSection();
}

function restoreFocus(part, focusedId) {
  if (focusedId === null) return;
  const target = (focusedId && document.getElementById(focusedId)) || part.querySelector("input[type=file], h3");
  if (target?.tagName === "H3") target.tabIndex = -1;
  target?.focus();
}

async function showSaved(view, body, partId) {
  if (!inFlight.get(partId)) {
    view.li.classList.remove("evidence-uploading");  // the fresh part shows it saved
    await refreshPart(partId);
    return;
  }
  // Others of this part are still uploading: show this one in place, refresh at the end.
  const response = await fetch(body.item_url, { headers: { "HX-Request": "true" } });
  if (!response.ok) {
    view.li.replaceChildren(document.createTextNode("Saved."));
    return;
  }
  const template = document.createElement("template");
  template.innerHTML = (await response.text()).trim();
  const saved = template.content.firstElementChild;
  view.li.replaceWith(saved);
  window.htmx?.process(saved);
}

function send(form, fields, label, clientUuid = newUuid()) {
  const list = document.getElementById(form.dataset.items);
  const partId = partOf(form).id;
  const view = pendingItem(label);
  list.append(view.li);
  const data = new FormData();
  data.append("requirement_id", form.elements.requirement_id.value);
  data.append("client_uuid", clientUuid);
  for (const [name, value] of fields) data.append(name, value);
  const retry = () => send(form, fields, label, clientUuid);  // same id: never a duplicate
  inFlight.set(partId, (inFlight.get(partId) || 0) + 1);
  const done = () => inFlight.set(partId, inFlight.get(partId) - 1);

  const showPercent = (loaded, total) => {
    const percent = Math.round((loaded / total) * 100);
    view.bar.value = percent;
    view.percent.textContent = `${percent} %`;
  };
  const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
  xhrTransport({ method: "POST", url: form.action, headers, body: data, onProgress: showPercent }).then(
    ({ status, body }) => {
      done();
      if (status === 200 || status === 201) {
        showSaved(view, body, partId).catch(() => view.li.replaceChildren(document.createTextNode("Saved.")));
      } else {
        showFailure(view, body.error?.message || "That didn't upload. Please try again.", status >= 500 ? retry : null);
        if (!inFlight.get(partId)) refreshPart(partId);
      }
    },
    () => {
      done();
      showFailure(view, "Couldn't reach Chalkmark. Check your connection and try again.", retry);
    },
  );
}

// Files beyond the part's room are not sent at all: say why instead.
function sendFiles(form, files) {
  const room = Number(form.dataset.room || files.length);
  files.slice(0, room).forEach((file) => send(form, fieldsFor(form, file), file.name));
  for (const file of files.slice(room)) {
    const view = pendingItem(file.name);
    document.getElementById(form.dataset.items).append(view.li);
    showFailure(view, `Not added: this part has room for ${room} more. Remove an item to add a different one.`, null);
  }
  form.dataset.room = String(Math.max(room - files.length, 0));
}

function fieldsFor(form, file) {
  const fields = [["note", form.elements.note?.value ?? ""]];
  if (file) {
    fields.push(["file", file]);
    if (file.lastModified) fields.push(["captured_at", new Date(file.lastModified).toISOString()]);
  } else if (form.elements.url) {
    fields.push(["url", form.elements.url.value]);
  }
  return fields;
}

// Choosing (or taking) a photo starts the upload: no second tap needed. The page-wide
// listener serves a part swapped in a moment ago, before `upgrade` saw it; the input's
// own listener serves an input whose part was just replaced (a detached input's events
// never reach the document). Each choice is sent once.
const uploadForm = (node) => node.closest?.("form[data-upload-form]");
const handled = new WeakSet();

function filesChosen(event) {
  const form = uploadForm(event.target);
  if (!form || event.target.type !== "file" || handled.has(event)) return;
  handled.add(event);
  sendFiles(form, Array.from(event.target.files));
  form.reset();
}

document.addEventListener("change", filesChosen);

document.addEventListener("submit", (event) => {
  const form = uploadForm(event.target);
  if (!form) return;
  event.preventDefault();
  const fileInputs = Array.from(form.querySelectorAll('input[type="file"]'));
  if (fileInputs.length) {
    sendFiles(form, fileInputs.flatMap((input) => Array.from(input.files)));
  } else {
    send(form, fieldsFor(form, null), form.elements.url?.value || "link");
  }
  form.reset();
});

// With this script a file part needs no Upload button: choosing starts it.
function upgrade(form) {
  if (form.dataset.upgraded) return;
  form.dataset.upgraded = "true";
  const fileInputs = form.querySelectorAll('input[type="file"]');
  fileInputs.forEach((input) => input.addEventListener("change", filesChosen));
  const submitButton = form.querySelector('button[type="submit"]');
  if (submitButton && fileInputs.length) submitButton.hidden = true;
}

function enhance(root) {
  root.querySelectorAll("form[data-upload-form]").forEach(upgrade);
  root.querySelectorAll("textarea[data-word-count]").forEach(countWords);
}

let refreshTimer = null;

// The "still needed" list under Submit depends on what was just added or removed. The
// consent box keeps its tick (and the focus stays where it was) across the refresh.
function refreshSubmitSection() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    if (!document.getElementById("submit")) return;
    const response = await fetch(window.location.pathname, { headers: { "HX-Request": "true" } }).catch(() => null);
    if (!response?.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("submit");
    const old = document.getElementById("submit");
    if (!fresh || !old) return;
    const consent = old.querySelector("#consent")?.checked;
    const focusedId = old.contains(document.activeElement) ? document.activeElement.id : null;
    old.replaceWith(fresh);
    const box = fresh.querySelector("#consent");
    if (box) box.checked = Boolean(consent);
    if (focusedId) document.getElementById(focusedId)?.focus();
    window.htmx?.process(fresh);
  }, 300);
}

// Removing an item (htmx) answers with its part: count what changed under Submit too.
document.addEventListener("htmx:afterRequest", (event) => {
  const path = event.detail.pathInfo?.requestPath || "";
  if (event.detail.successful && event.detail.requestConfig?.verb === "post" && /^\/submissions\/\d+\/(evidence|requirements)\//.test(path)) {
    refreshSubmitSection();
  }
});

// A part swapped in by htmx (after a removal) gets the same upgrades, and the focus.
document.addEventListener("htmx:load", (event) => {
  const part = event.detail.elt;
  if (!part.matches?.(".evidence-part")) return;
  enhance(part);
  if (!document.activeElement || document.activeElement === document.body) restoreFocus(part, "");
});

enhance(document);
