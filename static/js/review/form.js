// Review form: keyboard shortcuts and the comment bank.
// Shortcuts: with focus inside a criterion (on its Met / Not yet
// choice), "m" marks it Met and "n" marks it Not yet. Never while typing in a text field,
// never with a modifier key. One delegated listener, so it survives htmx swapping the form.

const KEYS = { m: "met", n: "not_yet" };

function typing(element) {
  if (element.isContentEditable) return true;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  return element instanceof HTMLInputElement && !["radio", "checkbox", "button", "submit"].includes(element.type);
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  const value = KEYS[event.key.toLowerCase()];
  const target = event.target;
  if (!value || !(target instanceof HTMLElement) || typing(target)) return;
  const criterion = target.closest("#rubric-form .review-criterion");
  if (!criterion) return;
  const choice = criterion.querySelector(`input[type=radio][value="${value}"]`);
  if (!choice) return;
  event.preventDefault();
  choice.checked = true;
  choice.focus();
  choice.dispatchEvent(new Event("change", { bubbles: true }));
});

// Comment bank: a phrase button appends its phrase to its criterion's comment field
// (on a new line when the field already has text) and puts the caret after it.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-insert-into]") : null;
  if (!button) return;
  const field = document.getElementById(button.dataset.insertInto);
  if (!(field instanceof HTMLTextAreaElement)) return;
  const phrase = button.dataset.phrase || "";
  field.value = field.value.trim() ? `${field.value.replace(/\s+$/, "")}\n${phrase}` : phrase;
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
});
