// Notices on this device (Web Push). Permission is asked only when the person presses
// "Notify me on this device" — on the notification settings page, or in the prompt shown
// after a first submission — never on page load.
import { csrfToken } from "../lib/csrf.js";

const DISMISSED_KEY = "chalkmark-push-prompt-dismissed";
const SUBSCRIBED_EVENT = "push-subscribed"; // the device list refreshes on it (htmx)

const MESSAGES = {
  unsupported:
    "This browser can't show notifications from websites. Your Chalkmark inbox still gets every notice. " +
    "(On iPhone or iPad, add Chalkmark to your Home Screen first, then open it from there.)",
  denied:
    "Notifications are blocked for Chalkmark in this browser. To allow them, open the site settings " +
    "(the icon beside the web address), allow notifications, then press the button again.",
  undecided: "You didn't allow notifications, so nothing changed. Press the button again when you're ready.",
  signedOut: "You're signed out. Sign in again, then press the button once more.",
  failed: "This browser couldn't set up notifications just now. Please try again in a minute.",
  working: "Setting up notices on this device…",
  done: "Done. This device will show Chalkmark's notices.",
  already: "This device gets Chalkmark's notices.",
};

class PushSetupError extends Error {}

function supported() {
  return window.isSecureContext && "serviceWorker" in navigator && "PushManager" in window &&
    "Notification" in window;
}

function keyBytes(base64url) {
  const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
    .replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const current = new Uint8Array(buffer);
  return current.length === bytes.length && current.every((value, i) => value === bytes[i]);
}

async function workerRegistration() {
  if (!(await navigator.serviceWorker.getRegistration("/"))) {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  }
  return navigator.serviceWorker.ready;
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.getRegistration("/");
  return registration ? registration.pushManager.getSubscription() : null;
}

async function serverKey() {
  const response = await fetch("/push/key", { credentials: "same-origin" });
  if (!response.ok) throw new PushSetupError(MESSAGES.failed);
  return keyBytes((await response.json()).publicKey);
}

async function browserSubscription(registration, key) {
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe(); // made for another server key: it would never work
    subscription = null;
  }
  try {
    return subscription ?? await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: key,
    });
  } catch {
    throw new PushSetupError(MESSAGES.failed);
  }
}

async function saveOnServer(subscription) {
  const response = await fetch("/push/subscriptions", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(subscription.toJSON()),
  });
  if (response.redirected || response.status === 401) throw new PushSetupError(MESSAGES.signedOut);
  if (response.status !== 201) {
    const problem = await response.json().catch(() => ({}));
    throw new PushSetupError(problem.error?.message || MESSAGES.failed);
  }
}

async function subscribe() {
  const permission = await Notification.requestPermission();
  if (permission === "denied") throw new PushSetupError(MESSAGES.denied);
  if (permission !== "granted") throw new PushSetupError(MESSAGES.undecided);
  const registration = await workerRegistration();
  const subscription = await browserSubscription(registration, await serverKey());
  await saveOnServer(subscription);
  // The service worker remembers the endpoint, to prove it if the browser renews it.
  registration.active?.postMessage({ type: "chalkmark-push-subscribed" });
}

function say(panel, text, isError = false) {
  const status = panel.querySelector("[data-push-status]");
  if (!status) return;
  status.textContent = text;
  status.classList.toggle("push-status-error", isError);
}

async function onEnable(panel, button) {
  button.disabled = true;
  say(panel, MESSAGES.working);
  try {
    await subscribe();
    say(panel, MESSAGES.done);
    document.body.dispatchEvent(new CustomEvent(SUBSCRIBED_EVENT));
  } catch (error) {
    say(panel, error instanceof PushSetupError ? error.message : MESSAGES.failed, true);
  } finally {
    button.disabled = false;
  }
}

async function showPromptIfUseful(prompt) {
  if (!supported() || Notification.permission === "denied") return;
  if (localStorage.getItem(DISMISSED_KEY)) return;
  if (await currentSubscription()) return;
  prompt.hidden = false;
}

async function describeThisDevice(panel, button) {
  if (!supported()) {
    button.disabled = true;
    say(panel, MESSAGES.unsupported, true);
  } else if (Notification.permission === "denied") {
    say(panel, MESSAGES.denied, true);
  } else if (Notification.permission === "granted" && (await currentSubscription())) {
    say(panel, MESSAGES.already);
  }
}

function setUp() {
  for (const panel of document.querySelectorAll("[data-push-panel]")) {
    if (panel.dataset.pushReady) continue; // the module may be included twice on a page
    panel.dataset.pushReady = "1";
    const button = panel.querySelector("[data-push-enable]");
    button?.addEventListener("click", () => onEnable(panel, button));
    panel.querySelector("[data-push-dismiss]")?.addEventListener("click", () => {
      localStorage.setItem(DISMISSED_KEY, "1");
      panel.hidden = true;
      document.getElementById("main")?.focus();
    });
    if (panel.hasAttribute("data-push-prompt")) showPromptIfUseful(panel);
    else if (button) describeThisDevice(panel, button);
  }
}

setUp();
// The prompt may arrive in an htmx swap after this module already ran.
document.addEventListener("htmx:load", setUp);
