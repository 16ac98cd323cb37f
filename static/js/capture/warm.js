// On a draft's page (online): keep a copy of the draft's requirements in IndexedDB and ask
// the service worker to keep the capture page, so "Capture evidence" works offline later.
import "../queue/idb.js";

async function keepDraft(link) {
  const response = await fetch(link.dataset.captureWarm, {
    credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
  });
  if (response.ok) await self.ChalkmarkIdb.put("drafts", await response.json());
}

async function keepCapturePage() {
  const registration = await navigator.serviceWorker?.getRegistration();
  const worker = registration?.active || registration?.waiting || registration?.installing;
  worker?.postMessage({ type: "WARM_CAPTURE" });
}

const link = document.querySelector("[data-capture-warm]");
if (link && navigator.onLine) {
  keepDraft(link).catch(() => {});
  keepCapturePage().catch(() => {});
}
