// Site-wide behaviour: the offline indicator, focus after htmx swaps, confirm prompts,
// and registering the service worker. Loaded as an ES module on every page.

function showNetworkStatus() {
  const banner = document.getElementById("network-status");
  if (!banner) return;
  banner.hidden = navigator.onLine;
  banner.textContent = navigator.onLine ? "" : "You're offline. What you capture is kept on this device.";
}

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

if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
