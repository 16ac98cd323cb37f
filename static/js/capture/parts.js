// The capture controls for each evidence requirement of a draft: camera / file inputs,
// a reflection box or a link box, and an optional note. Built from the draft snapshot so
// they work offline; `onCapture(part, payload)` receives what the teacher added.

const TITLES = { photo: "Photos", video: "Video", file: "Files", text: "Written response", link: "Links" };
const NOUNS = { photo: ["photo", "photos"], video: ["video", "videos"], file: ["file", "files"],
  text: ["written response", "written responses"], link: ["link", "links"] };

function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false && value != null) node.setAttribute(name, value);
  }
  if (text != null) node.textContent = text;
  return node;
}

function labelled(id, text, control, hint) {
  const wrap = element("div", { class: "capture-field" });
  wrap.append(element("label", { for: id }, text));
  if (hint) wrap.append(element("p", { class: "hint", id: `${id}-hint` }, hint));
  control.id = id;
  if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
  wrap.append(control);
  return wrap;
}

function noun(kind, count) {
  const [one, many] = NOUNS[kind] || [kind, `${kind}s`];
  return count === 1 ? one : many;
}

export function countText(part, onDevice) {
  const need = part.min_count > 0 ? `Needs ${part.min_count} ${noun(part.kind, part.min_count)}` : "Optional";
  const most = part.max_count > part.min_count ? `, up to ${part.max_count}` : "";
  const local = onDevice ? `, ${onDevice} on this device` : "";
  return `${need}${most}. ${part.saved} saved${local}.`;
}

function fileInputs(part, prefix, onFiles) {
  const accept = { photo: "image/*", video: "video/*" }[part.kind];
  const take = { photo: "Take a photo", video: "Record a video" }[part.kind];
  const fields = [];
  if (take) {
    fields.push(labelled(`${prefix}-camera`, take,
      element("input", { type: "file", accept, capture: "environment", "data-capture": "camera" })));
  }
  const choose = { photo: "Choose photos", video: "Choose a video", file: "Choose files" }[part.kind];
  fields.push(labelled(`${prefix}-choose`, choose,
    element("input", { type: "file", accept, multiple: part.kind !== "video", "data-capture": "choose" })));
  for (const field of fields) {
    const input = field.querySelector("input");
    input.addEventListener("change", () => {
      const files = Array.from(input.files || []);
      input.value = "";
      if (files.length) onFiles(files);
    });
  }
  return fields;
}

function writtenInputs(part, prefix, onValue) {
  const isText = part.kind === "text";
  const control = isText
    ? element("textarea", { rows: "6", name: "text", maxlength: "20000" })
    : element("input", { type: "url", name: "url", inputmode: "url", placeholder: "https://" });
  const field = labelled(`${prefix}-${isText ? "text" : "url"}`, isText ? "Your reflection" : "Link", control);
  const button = element("button", { type: "submit", class: "button" }, isText ? "Add reflection" : "Add link");
  const error = element("p", { class: "field-error", role: "alert", hidden: true });
  const submit = (event) => {
    event.preventDefault();
    const value = control.value.trim();
    error.hidden = Boolean(value);
    error.textContent = value ? "" : (isText ? "Please write something first." : "Please paste a link first.");
    if (!value) return;
    onValue(value);
    control.value = "";
  };
  return { fields: [field, error], button, submit };
}

// What the server already has for this part (from the snapshot): a thumbnail or a name,
// and a saved reflection's text, so the teacher sees what is there before adding more.
function savedList(part) {
  const list = element("ul", { class: "capture-saved", "aria-label": `Saved for part ${part.number}` });
  for (const item of part.items || []) {
    const li = element("li", { class: "capture-saved-item" });
    if (item.thumb_url) {
      const img = element("img", { src: item.thumb_url, alt: `Saved photo: ${item.label}`, width: "64", height: "64", class: "queue-thumb" });
      img.addEventListener("error", () => img.remove());  // offline: the name still shows
      li.append(img);
    }
    if (item.kind === "text" && item.text) {
      li.append(element("p", { class: "hint" }, "Your saved reflection:"), element("blockquote", { class: "evidence-text" }, item.text));
    } else {
      li.append(element("span", {}, item.label));
    }
    list.append(li);
  }
  return list;
}

export function fullText(part) {
  return part.kind === "text"
    ? "Your reflection is saved. Change it on the draft page."
    : `This part is full (${part.max_count} ${noun(part.kind, part.max_count)}). Remove one on the draft page to add a different one.`;
}

// Show the controls while the part has room; otherwise say why nothing more can be added.
export function showRoom(li, part, room) {
  const form = li.querySelector(".capture-form");
  const full = li.querySelector(".part-full");
  if (form) form.hidden = room <= 0;
  if (full) {
    full.hidden = room > 0;
    full.textContent = fullText(part);
  }
}

export function renderPart(part, { onFiles, onValue }) {
  const prefix = `capture-${part.id}`;
  const li = element("li", { class: "evidence-part capture-part", id: prefix, "data-requirement": part.id });
  li.append(element("h3", {}, `Part ${part.number}: ${TITLES[part.kind] || part.kind}`));
  li.append(element("p", { class: "prompt" }, part.prompt));
  li.append(element("p", { class: "hint part-count", "aria-live": "polite" }, countText(part, 0)));
  if (part.items?.length) li.append(savedList(part));
  li.append(element("p", { class: "hint part-full", hidden: true }));
  const form = element("form", { class: "stacked capture-form", novalidate: true, "data-works-offline": true });
  const note = element("input", { type: "text", name: "note", maxlength: "500" });
  const noteField = labelled(`${prefix}-note`, "Note (optional)", note, "Saved with what you add next.");
  const takeNote = () => { const value = note.value.trim(); note.value = ""; return value; };
  if (["photo", "video", "file"].includes(part.kind)) {
    form.append(noteField, ...fileInputs(part, prefix, (files) => onFiles(part, files, takeNote())));
    form.addEventListener("submit", (event) => event.preventDefault());
  } else {
    const written = writtenInputs(part, prefix, (value) => onValue(part, value, takeNote()));
    form.append(...written.fields, noteField, written.button);
    form.addEventListener("submit", written.submit);
  }
  li.append(form);
  return li;
}
