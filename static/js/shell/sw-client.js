// The service worker from the page's side: register it once the page has loaded (so it
// never competes with the first paint), offer "Install Chalkmark" when the browser allows
// it, and offer a reload when a new version is waiting.

let installPrompt = null;
let reloadOnNewWorker = false;

function installButton() {
  const button = document.createElement("button");
  button.id = "install-app";
  button.type = "button";
  button.className = "button button-small install-button";
  button.textContent = "Install Chalkmark";
  button.addEventListener("click", async () => {
    const prompt = installPrompt;
    installPrompt = null;
    button.remove();
    if (!prompt) return;
    prompt.prompt();
    await prompt.userChoice.catch(() => {});
  });
  return button;
}

// Only where the browser offers an install: otherwise there is no button at all.
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  installPrompt = event;
  // Fixed at the bottom corner: appearing late, it must not push the page down.
  if (!document.getElementById("install-app")) document.body.append(installButton());
});

window.addEventListener("appinstalled", () => {
  installPrompt = null;
  document.getElementById("install-app")?.remove();
});

function showUpdateBanner(registration) {
  if (document.getElementById("update-banner")) return;
  const banner = document.createElement("div");
  banner.id = "update-banner";
  banner.className = "update-banner";
  banner.setAttribute("role", "status");
  const text = document.createElement("p");
  text.textContent = "A new version of Chalkmark is available.";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button-small";
  button.textContent = "Reload";
  button.addEventListener("click", () => {
    reloadOnNewWorker = true;
    if (registration.waiting) registration.waiting.postMessage({ type: "SKIP_WAITING" });
    else window.location.reload();
  });
  banner.append(text, button);
  document.body.append(banner);  // fixed at the bottom, like the install button
}

function watchForUpdates(registration) {
  // A waiting worker only matters when an older one controls this page.
  if (registration.waiting && navigator.serviceWorker.controller) showUpdateBanner(registration);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdateBanner(registration);
    });
  });
}

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadOnNewWorker) {
      reloadOnNewWorker = false;
      window.location.reload();
    }
  });
  const register = () => navigator.serviceWorker.register("/sw.js", { scope: "/" })
    .then(watchForUpdates).catch(() => {});
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
