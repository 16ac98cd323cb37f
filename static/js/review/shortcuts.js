// Review form keyboard shortcuts: with focus inside a criterion (on its Met / Not yet
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
