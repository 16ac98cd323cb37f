// Chalkmark service worker. Offline capture and caching strategies arrive with the PWA
// issue; until then it only takes control so the page can be installed.
const VERSION = "v1";
self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim()); });
