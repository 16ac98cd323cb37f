// Site-wide behaviour: the offline indicator, focus after htmx swaps, confirm prompts,
// and registering the service worker. Loaded as an ES module on every page.
import { registerServiceWorker } from "./sw-client.js";

const OFFLINE_FORM = "You're offline, and this needs a connection: nothing was sent. Try again when you're back online.";

function showNetworkStatus() {
  const banner = document.getElementById("network-status");
  document.documentElement.classList.toggle("is-offline", !navigator.onLine);
  if (navigator.onLine) document.querySelectorAll(".needs-network").forEach((note) => note.remove());
  if (!banner) return;
  banner.hidden = navigator.onLine;
  banner.textContent = navigator.onLine ? "" : "You're offline. What you capture is kept on this device.";
}

// Forms that need the server say so while offline, instead of failing to load a page.
function sayNeedsNetwork(element) {
  const place = element.closest("form") || element;
  let note = place.querySelector(":scope > .needs-network");
  if (!note) {
    note = document.createElement("p");
    note.className = "field-error needs-network";
    note.setAttribute("role", "alert");
    place.prepend(note);
  }
  note.textContent = OFFLINE_FORM;
}

document.addEventListener("submit", (event) => {
  if (navigator.onLine || event.target.closest("[data-works-offline]")) return;
  event.preventDefault();
  sayNeedsNetwork(event.target);
}, true);

document.addEventListener("htmx:beforeRequest", (event) => {
  if (navigator.onLine || event.detail.elt.closest?.("[data-works-offline]")) return;
  event.preventDefault();
  sayNeedsNetwork(event.detail.elt);
});

window.addEventListener("online", showNetworkStatus);
window.addEventListener("offline", showNetworkStatus);
showNetworkStatus();

// After htmx swaps in an error message, move focus to it so screen readers hear it.
document.addEventListener("htmx:afterSwap", (event) => {
  const alert = event.detail.target.querySelector?.("[role=alert]");
  if (alert) {
    alert.setAttribute("tabindex", "-1");
    alert.focus();
  }
});

// Tell the person when a request could not reach the server at all.
document.addEventListener("htmx:sendError", () => {
  const banner = document.getElementById("network-status");
  if (banner) {
    banner.hidden = false;
    banner.textContent = "Couldn't reach Chalkmark. Check your connection and try again.";
  }
});

registerServiceWorker();
