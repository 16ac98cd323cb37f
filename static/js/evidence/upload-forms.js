// Upgrades the evidence forms on a draft: each chosen file uploads on its own with a
// progress bar (lib/upload.js: XMLHttpRequest, for the progress), then the
// saved item replaces the bar. Without this script the same forms post and come back.

import { csrfToken } from "../lib/csrf.js";
import { xhrTransport } from "../lib/upload.js";
import { newUuid } from "../lib/uuid.js";

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

async function showSaved(view, body) {
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
  refreshSubmitSection();
}

function send(form, fields, label, clientUuid = newUuid()) {
  const list = document.getElementById(form.dataset.items);
  const view = pendingItem(label);
  list.append(view.li);
  const data = new FormData();
  data.append("requirement_id", form.elements.requirement_id.value);
  data.append("client_uuid", clientUuid);
  for (const [name, value] of fields) data.append(name, value);
  const retry = () => send(form, fields, label, clientUuid);  // same id: never a duplicate

  const showPercent = (loaded, total) => {
    const percent = Math.round((loaded / total) * 100);
    view.bar.value = percent;
    view.percent.textContent = `${percent} %`;
  };
  const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
  xhrTransport({ method: "POST", url: form.action, headers, body: data, onProgress: showPercent }).then(
    ({ status, body }) => {
      if (status === 200 || status === 201) {
        showSaved(view, body).catch(() => view.li.replaceChildren(document.createTextNode("Saved.")));
      } else {
        showFailure(view, body.error?.message || "That didn't upload. Please try again.", status >= 500 ? retry : null);
      }
    },
    () => showFailure(view, "Couldn't reach Chalkmark. Check your connection and try again.", retry),
  );
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

function upgrade(form) {
  const fileInput = form.querySelector('input[type="file"]');
  const submitButton = form.querySelector('button[type="submit"]');
  if (fileInput) {
    // Choosing (or taking) a photo starts the upload: no second tap needed.
    submitButton.hidden = true;
    fileInput.addEventListener("change", () => {
      for (const file of fileInput.files) send(form, fieldsFor(form, file), file.name);
      form.reset();
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (fileInput) {
      for (const file of fileInput.files) send(form, fieldsFor(form, file), file.name);
    } else {
      send(form, fieldsFor(form, null), form.elements.url?.value || "link");
    }
    form.reset();
  });
}

let refreshTimer = null;

// The "still needed" list under Submit depends on what was just added or removed.
function refreshSubmitSection() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (!document.getElementById("submit") || !window.htmx) return;
    window.htmx.ajax("GET", window.location.pathname, { target: "#submit", select: "#submit", swap: "outerHTML" });
  }, 300);
}

document.addEventListener("htmx:afterRequest", (event) => {
  const source = event.detail.elt;
  if (event.detail.successful && source.closest?.(".evidence-parts") && event.detail.requestConfig?.verb === "post") {
    refreshSubmitSection();
  }
});

document.querySelectorAll("form[data-upload-form]").forEach(upgrade);
