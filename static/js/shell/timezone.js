// The browser's own time zone: fills every input[data-browser-timezone] (sign-up), and on
// the account page reveals the offer to switch when the saved zone differs from it.
export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (_) {
    return "";
  }
}

const zone = browserZone();
if (zone) {
  for (const input of document.querySelectorAll("input[data-browser-timezone]")) {
    if (!input.value) input.value = zone;
  }
  for (const offer of document.querySelectorAll("[data-timezone-offer]")) {
    if (offer.dataset.savedZone === zone) continue;
    offer.querySelector("[data-browser-zone-name]").textContent = zone;
    offer.querySelector("input[name=timezone]").value = zone;
    offer.hidden = false;
  }
}
