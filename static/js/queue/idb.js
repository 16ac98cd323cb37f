// IndexedDB for offline capture, shared by the capture page and the service worker.
// Why a classic script (no import/export), like everything in queue/: the service worker
// is a classic worker (module service workers are not in every browser we serve) and loads
// it with importScripts(), which can't load an ES module; pages `import "../queue/idb.js"`
// for its side effect. Either way it defines self.ChalkmarkIdb.
//
// Stores: items  (keyPath client_uuid) - every capture until the server confirmed it
//         drafts (keyPath id)          - a snapshot of each draft (capture.json)
(function (scope) {
  "use strict";

  const NAME = "chalkmark-capture";
  const VERSION = 1;
  let opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("items")) db.createObjectStore("items", { keyPath: "client_uuid" });
        if (!db.objectStoreNames.contains("drafts")) db.createObjectStore("drafts", { keyPath: "id" });
      };
      request.onsuccess = () => {
        const db = request.result;
        // A newer version elsewhere (after an update) must not be blocked by this copy.
        db.onversionchange = () => { db.close(); opening = null; };
        db.onclose = () => { opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
    return opening;
  }

  // Run `work(store)` in one transaction; resolves with what work() put in `out.value`
  // once the transaction has COMMITTED (so a resolved write is really on disk).
  async function transaction(storeName, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode, { durability: "strict" });
      const out = {};
      work(tx.objectStore(storeName), out);
      tx.oncomplete = () => resolve(out.value);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("IndexedDB transaction aborted"));
    });
  }

  function get(storeName, key) {
    return transaction(storeName, "readonly", (store, out) => {
      store.get(key).onsuccess = (event) => { out.value = event.target.result; };
    });
  }

  function all(storeName) {
    return transaction(storeName, "readonly", (store, out) => {
      store.getAll().onsuccess = (event) => { out.value = event.target.result || []; };
    });
  }

  function put(storeName, value) {
    return transaction(storeName, "readwrite", (store, out) => {
      store.put(value);
      out.value = value;
    });
  }

  function remove(storeName, key) {
    return transaction(storeName, "readwrite", (store) => { store.delete(key); });
  }

  // Read-modify-write in one transaction: `change(record)` returns the new record (or
  // null to leave it). Resolves with the stored record, or undefined when it is gone.
  function update(storeName, key, change) {
    return transaction(storeName, "readwrite", (store, out) => {
      store.get(key).onsuccess = (event) => {
        const record = event.target.result;
        if (!record) return;
        const next = change(record);
        if (!next) return;
        store.put(next);
        out.value = next;
      };
    });
  }

  scope.ChalkmarkIdb = { open, get, all, put, remove, update };
})(self);
