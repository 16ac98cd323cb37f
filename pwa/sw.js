importScripts("/sw-push.js"); // Web Push handlers (notify area)
// Chalkmark service worker (scope /).
//
// Caches (named with VERSION, a digest of the shell's files that the server writes in when
// it serves this file, so any change to them installs a new worker):
//   shell - precached at install: CSS, JS, htmx, icons, manifest, the offline page; plus the
//           capture page (it needs a signed-in session: kept whenever it loads, and when a
//           draft's page asks with WARM_CAPTURE)
//   pages - catalog pages a teacher opened, stale-while-revalidate, so a credential and its
//           requirements can be read offline
// Everything private or state-changing goes to the network only (no respondWith); a page
// that can't load offline gets the offline page. Old caches go on activate. A new worker
// waits until the page says SKIP_WAITING (the "update available" banner,
// static/js/shell/sw-client.js).
//
// Background Sync: the worker uploads the offline queue itself with the same code as the
// capture page (static/js/queue/core.js), one uploader at a time under a Web Lock. It asks
// /capture/token for a CSRF token (its fetches carry the session cookie), so no page has to
// hand a token over and a closed page still gets its photos uploaded.
importScripts("/static/js/queue/idb.js", "/static/js/queue/core.js");

const VERSION = "__SHELL_VERSION__";
const SHELL_CACHE = `chalkmark-shell-${VERSION}`;
const PAGES_CACHE = `chalkmark-pages-${VERSION}`;
const PRECACHE = [/* __PRECACHE__ */ "/offline", "/manifest.webmanifest"];
const CAPTURE = "/capture";
const OFFLINE = "/offline";
// Not "/": a signed-in person gets their own home there, which must never be a stale copy.
const CATALOG = [/^\/stacks$/, /^\/stacks\/[^/]+$/, /^\/credentials\/[^/]+$/];
const MAX_PAGES = 60;
// The server tags each HTML page with a key of the session it was made for, and keeps the
// current key in a cookie: a cached page from before signing in or out is never served
// while online (its forms would carry a stale CSRF token).
const PAGE_KEY_HEADER = "X-Chalkmark-Page-Key";
const PAGE_KEY_COOKIE = "chalkmark_page";

// Static files need no cookie, and must not carry one: every response to a signed-in
// session re-sends its cookie as it was when the request started, so a burst of requests in
// the background could put back a session a page has just changed (its CSRF token).
const NO_COOKIES = { credentials: "omit" };

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(
    PRECACHE.map((url) => new Request(url, { ...NO_COOKIES, cache: "reload" })))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const current = new Set([SHELL_CACHE, PAGES_CACHE]);
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("chalkmark-") && !current.has(name))
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  if (type === "SKIP_WAITING") self.skipWaiting();
  if (type === "WARM_CAPTURE") event.waitUntil(caches.open(SHELL_CACHE).then(keepCapturePage).catch(() => {}));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== self.ChalkmarkQueue.SYNC_TAG) return;
  event.waitUntil(self.ChalkmarkQueue.flush(self.ChalkmarkQueue.fetchTransport).then((result) => {
    // Failing the event makes the browser try again later, with its own backoff.
    if (result.pending > 0 && !result.signedOut) throw new Error("uploads still waiting");
  }));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.headers.has("HX-Request")) return;
  if (PRECACHE.includes(url.pathname) || url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode !== "navigate") {
    return;  // JSON, evidence files, fragments: network only
  } else if (url.pathname === CAPTURE) {
    event.respondWith(staleWhileRevalidate(event, SHELL_CACHE, CAPTURE, { anySession: true }));
  } else if (CATALOG.some((pattern) => pattern.test(url.pathname))) {
    const key = url.pathname + url.search;
    event.respondWith(staleWhileRevalidate(event, PAGES_CACHE, key, { anySession: false }));
  } else {
    event.respondWith(networkOrOffline(request));
  }
});

function cacheable(response) {
  return response.ok && !response.redirected && response.type === "basic";
}

async function keepCapturePage(cache) {
  const response = await fetch(CAPTURE, { credentials: "same-origin", cache: "no-store" });
  if (cacheable(response)) await cache.put(CAPTURE, response);
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request.url, NO_COOKIES);
  if (cacheable(response)) {
    const copy = response.clone();
    caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy)).catch(() => {});
  }
  return response;
}

async function offlinePage() {
  return (await caches.match(OFFLINE)) || new Response("You're offline.", {
    status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

async function networkOrOffline(request) {
  try {
    return await fetch(request);
  } catch (_) {
    return offlinePage();
  }
}

async function currentPageKey() {
  try {
    return (await self.cookieStore?.get(PAGE_KEY_COOKIE))?.value ?? null;
  } catch (_) {
    return null;
  }
}

async function trim(cache) {
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((key) => cache.delete(key)));
}

async function staleWhileRevalidate(event, cacheName, key, { anySession }) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(key, { ignoreVary: true });
  const network = fetch(event.request).then(async (response) => {
    if (cacheable(response)) {
      await cache.put(key, response.clone());
      await trim(cache);
    }
    return response;
  });
  if (cached) {
    const sameSession = anySession || cached.headers.get(PAGE_KEY_HEADER) === (await currentPageKey());
    if (sameSession) {
      event.waitUntil(network.catch(() => {}));
      return cached;
    }
  }
  try {
    return await network;
  } catch (_) {
    return cached || offlinePage();
  }
}
