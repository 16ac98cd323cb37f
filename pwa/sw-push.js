// Chalkmark service worker: Web Push. Loaded by sw.js with importScripts("/sw-push.js").
//
// push                    -> show the notice (title, body, icon, tag; data.url to open)
// notificationclick       -> focus a Chalkmark window already on that URL, else reuse one
//                            of ours, else open a new window
// pushsubscriptionchange  -> subscribe again with the server's key and tell the server,
//                            proving which device it is with the OLD endpoint

const PUSH_ICON = "/static/icons/icon-192.png";
const PUSH_DB = "chalkmark-push";
const PUSH_STORE = "meta";

// --- the last endpoint we told the server about (IndexedDB: survives restarts) --------

function pushDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(PUSH_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(PUSH_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function rememberEndpoint(endpoint) {
  const db = await pushDb();
  await new Promise((resolve, reject) => {
    const tx = db.transaction(PUSH_STORE, "readwrite");
    tx.objectStore(PUSH_STORE).put(endpoint, "endpoint");
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

async function rememberedEndpoint() {
  const db = await pushDb();
  const value = await new Promise((resolve, reject) => {
    const request = db.transaction(PUSH_STORE).objectStore(PUSH_STORE).get("endpoint");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return value;
}

async function rememberCurrentSubscription() {
  const subscription = await self.registration.pushManager.getSubscription();
  if (subscription) await rememberEndpoint(subscription.endpoint);
}

// --- showing a notice ------------------------------------------------------------------

function sameOriginUrl(value) {
  // Only our own pages: a notice can never send someone to another site.
  try {
    const url = new URL(value || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + "/";
  } catch {
    return self.location.origin + "/";
  }
}

function readPayload(event) {
  if (!event.data) return {};
  try {
    return event.data.json();
  } catch {
    return { body: event.data.text() };
  }
}

self.addEventListener("push", (event) => {
  const payload = readPayload(event);
  const options = {
    body: payload.body || "",
    icon: PUSH_ICON,
    badge: PUSH_ICON,
    data: { url: sameOriginUrl(payload.url) },
  };
  if (payload.tag) options.tag = payload.tag;
  event.waitUntil(Promise.all([
    self.registration.showNotification(payload.title || "Chalkmark", options),
    rememberCurrentSubscription().catch(() => {}),
  ]));
});

async function openNoticeUrl(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const exact = windows.find((client) => client.url === url);
  if (exact) return exact.focus();
  const ours = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (ours) {
    const navigated = await ours.navigate(url).catch(() => null);
    if (navigated) return navigated.focus().catch(() => navigated);
  }
  return self.clients.openWindow(url);
}

function handleNotificationClick(notification) {
  notification.close();
  return openNoticeUrl(sameOriginUrl(notification.data?.url));
}

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(handleNotificationClick(event.notification));
});

// The e2e test drives the click path through this: headless Chromium has no notification
// UI to click, and a synthetic NotificationEvent is untrusted (its waitUntil throws).
self.chalkmarkPush = { handleNotificationClick };

// --- the browser renewed the subscription ----------------------------------------------

function keyBytes(base64url) {
  const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
    .replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

async function resubscribe(oldSubscription, newSubscription) {
  // Chromium often leaves oldSubscription empty: fall back to the endpoint we remembered.
  const oldEndpoint = oldSubscription?.endpoint || (await rememberedEndpoint());
  if (!oldEndpoint) return; // nothing proves which device this is; the person re-enables
  let subscription = newSubscription;
  if (!subscription) {
    const response = await fetch("/push/key", { credentials: "same-origin" });
    const { publicKey } = await response.json();
    subscription = await self.registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: keyBytes(publicKey),
    });
  }
  const response = await fetch("/push/resubscribe", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ old_endpoint: oldEndpoint, subscription: subscription.toJSON() }),
  });
  if (response.ok) await rememberEndpoint(subscription.endpoint);
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(resubscribe(event.oldSubscription, event.newSubscription));
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "chalkmark-push-subscribed") {
    event.waitUntil(rememberCurrentSubscription());
  }
});
