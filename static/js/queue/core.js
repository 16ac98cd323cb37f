// The offline upload queue, shared by the capture page and the service worker (Background
// Sync). A classic script, like everything in queue/ (see idb.js for why): the worker
// importScripts() it after idb.js, pages import it for its side effect; either way it
// defines self.ChalkmarkQueue.
//
// Rules that keep every capture safe:
// - an item leaves IndexedDB only after the server answered 200/201 for its client_uuid
//   (and then only its bytes go; a small "saved" record stays for the queue view);
// - one uploader at a time across tabs and the worker (Web Locks), so nothing is sent twice
//   at once; the server is idempotent per client_uuid anyway, so a retry never duplicates;
// - a fresh CSRF token comes from /capture/token before each run: the worker has no page,
//   and a page served from the cache may carry a stale one;
// - large files and videos go in chunks to the resumable endpoints and resume at the
//   server's offset after a dropped connection.
(function (scope) {
  "use strict";

  const idb = scope.ChalkmarkIdb;
  const LOCK = "chalkmark-upload-queue";
  const CHANNEL = "chalkmark-queue";
  const SYNC_TAG = "chalkmark-upload";
  const CHUNKED_FROM = 4 * 1024 * 1024;
  const NETWORK_MESSAGE = "The connection dropped. It will try again when you're back online.";
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;

  function emit(message) { if (channel) channel.postMessage(message); }

  function failure(kind, message) {
    const error = new Error(message);
    error.kind = kind;
    return error;
  }

  // --- the records ------------------------------------------------------------------

  async function add(record) {
    const item = Object.assign({ status: "waiting", error: null, retryable: true, attempts: 0,
      created_at: new Date().toISOString() }, record);
    await idb.put("items", item);
    emit({ type: "changed" });
    return item;
  }

  async function list() {
    const items = await idb.all("items");
    return items.sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
  }

  async function patch(uuid, changes) {
    const stored = await idb.update("items", uuid, (item) => Object.assign(item, changes));
    emit({ type: "changed" });
    return stored;
  }

  function retry(uuid) {
    return patch(uuid, { status: "waiting", error: null, retryable: true });
  }

  async function discard(uuid) {
    await idb.remove("items", uuid);
    emit({ type: "changed" });
  }

  async function pruneSaved(olderThanMs) {
    const cutoff = Date.now() - olderThanMs;
    for (const item of await list()) {
      if (item.status === "saved" && Date.parse(item.saved_at) < cutoff) await idb.remove("items", item.client_uuid);
    }
  }

  function isDue(item) {
    return item.status === "waiting" || item.status === "uploading" || (item.status === "failed" && item.retryable);
  }

  async function markSaved(uuid, answer) {
    // The server has it: drop the bytes, keep what the queue view shows.
    return patch(uuid, { status: "saved", blob: null, text: null, error: null, server_id: answer.id,
      thumb_url: answer.thumb_url || null, saved_at: new Date().toISOString() });
  }

  // --- talking to the server ----------------------------------------------------------

  // transport({method, url, headers, body, onProgress, timeoutMs}) -> {status, body};
  // rejects with kind "network" when the request never got an answer.
  async function fetchTransport({ method, url, headers, body, timeoutMs }) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url, { method, headers, body, credentials: "same-origin",
        cache: "no-store", signal: controller.signal });
      const text = await response.text();
      let json = {};
      try { json = JSON.parse(text); } catch (_) { /* not JSON: keep {} */ }
      return { status: response.status, body: json };
    } catch (_) {
      throw failure("network", NETWORK_MESSAGE);
    } finally {
      clearTimeout(timer);
    }
  }

  function timeoutFor(bytes) {
    return 20000 + Math.ceil((bytes || 0) / 50000) * 1000;  // ~50 kB/s at worst
  }

  async function call(transport, { method, url, token, body, json, headers, bytes, onProgress }) {
    const allHeaders = Object.assign({ Accept: "application/json" }, headers);
    if (token) allHeaders["X-CSRFToken"] = token;
    if (json) allHeaders["Content-Type"] = "application/json";
    return transport({ method, url, headers: allHeaders, body: json ? JSON.stringify(json) : body,
      onProgress, timeoutMs: timeoutFor(bytes) });
  }

  function accepted(answer) {
    if (answer.status === 200 || answer.status === 201) return answer.body;
    const message = answer.body?.error?.message;
    if (answer.status === 401) throw failure("signed-out", "Sign in to upload. Your captures are kept on this device.");
    if (answer.status === 400 && answer.body && answer.body.csrf) throw failure("csrf", message);
    if (answer.status >= 500 || answer.status === 408 || answer.status === 429) {
      throw failure("server", "Chalkmark couldn't take it just now; it will try again.");
    }
    throw failure("refused", message || `Chalkmark refused this upload (${answer.status}).`);
  }

  async function whoAmI(transport) {
    return accepted(await call(transport, { method: "GET", url: "/capture/token" }));
  }

  function progress(uuid, done, total) {
    emit({ type: "progress", client_uuid: uuid, percent: total ? Math.min(100, Math.round((done / total) * 100)) : 0 });
  }

  async function sendWhole(item, token, transport) {
    const form = new FormData();
    form.append("client_uuid", item.client_uuid);
    form.append("requirement_id", String(item.requirement_id));
    if (item.note) form.append("note", item.note);
    if (item.captured_at) form.append("captured_at", item.captured_at);
    if (item.kind === "text") form.append("text", item.text || "");
    else if (item.kind === "link") form.append("url", item.url || "");
    else form.append("file", item.blob, item.filename || "evidence");
    const url = `${item.upload_url}?requirement_id=${encodeURIComponent(item.requirement_id)}`;
    return accepted(await call(transport, { method: "POST", url, token, body: form, bytes: item.size,
      onProgress: (loaded, total) => progress(item.client_uuid, loaded, total) }));
  }

  function usesChunks(item) {
    return Boolean(item.blob) && (item.kind === "video" || item.blob.size > CHUNKED_FROM);
  }

  async function chunkSession(item, token, transport) {
    if (item.resume_url) {
      const answer = await call(transport, { method: "GET", url: item.resume_url });
      if (answer.status !== 404) return accepted(answer);
      await patch(item.client_uuid, { resume_url: null, finish_url: null });  // expired: start again
    }
    const state = accepted(await call(transport, { method: "POST", url: item.resumable_url, token, json: {
      client_uuid: item.client_uuid, requirement_id: item.requirement_id, size: item.blob.size,
      filename: item.filename, note: item.note, captured_at: item.captured_at } }));
    if (state.upload_url) {
      item.resume_url = state.upload_url;
      await patch(item.client_uuid, { resume_url: state.upload_url, finish_url: state.finish_url });
    }
    return state;
  }

  async function sendInChunks(item, token, transport) {
    const state = await chunkSession(item, token, transport);
    if (state.status === "saved" && state.id) return state;
    const size = item.blob.size;
    let offset = state.offset;
    while (offset < size) {
      const end = Math.min(offset + state.chunk_bytes, size);
      const answer = await call(transport, { method: "PATCH", url: state.upload_url, token,
        body: item.blob.slice(offset, end), bytes: end - offset,
        headers: { "Upload-Offset": String(offset), "Content-Type": "application/octet-stream" },
        onProgress: (loaded) => progress(item.client_uuid, offset + loaded, size) });
      if (answer.status === 409 && Number.isInteger(answer.body.offset)) {
        offset = answer.body.offset;  // the server knows better: continue from there
        continue;
      }
      offset = accepted(answer).offset;
      progress(item.client_uuid, offset, size);
    }
    return accepted(await call(transport, { method: "POST", url: state.finish_url, token }));
  }

  // --- one run through the queue ------------------------------------------------------

  async function uploadOne(item, token, transport) {
    const uuid = item.client_uuid;
    await patch(uuid, { status: "uploading", error: null, attempts: (item.attempts || 0) + 1 });
    progress(uuid, 0, 1);
    try {
      const answer = usesChunks(item) ? await sendInChunks(item, token, transport)
        : await sendWhole(item, token, transport);
      await markSaved(uuid, answer);
      return "saved";
    } catch (err) {
      const kind = err.kind || "server";
      if (kind === "refused") {
        await patch(uuid, { status: "failed", retryable: false, error: err.message });
      } else if (kind === "csrf" || kind === "signed-out") {
        await patch(uuid, { status: "waiting", error: kind === "csrf" ? null : err.message });
      } else {
        await patch(uuid, { status: "failed", retryable: true, error: err.message || NETWORK_MESSAGE });
      }
      return kind;
    }
  }

  async function runOnce(transport) {
    const due = (await list()).filter(isDue);
    if (!due.length) return { pending: 0 };
    let who;
    try {
      who = await whoAmI(transport);
    } catch (err) {
      return { pending: due.length, offline: err.kind === "network", signedOut: err.kind === "signed-out" };
    }
    // Captures made while someone else was signed in on this device wait for them.
    const mine = due.filter((item) => !item.user_id || item.user_id === who.user_id);
    let left = mine.length;
    for (const listed of mine) {
      // Read it again: it may have been removed from the device since the list was made.
      const item = await idb.get("items", listed.client_uuid);
      if (!item || !isDue(item)) {
        left -= 1;
        continue;
      }
      let outcome = await uploadOne(item, who.csrf_token, transport);
      if (outcome === "csrf") {
        who = await whoAmI(transport).catch(() => who);
        outcome = await uploadOne(await idb.get("items", item.client_uuid) || item, who.csrf_token, transport);
      }
      if (outcome === "saved" || outcome === "refused") left -= 1;
      else return { pending: left, offline: outcome === "network", signedOut: outcome === "signed-out" };
    }
    return { pending: left, othersWaiting: due.length - mine.length };
  }

  function withLock(work) {
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, work) : work();
  }

  let running = null;
  let again = false;

  // Upload everything due. Asked again while running, it runs once more afterwards, so a
  // capture or an `online` event during a run is never missed.
  function flush(transport) {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let result;
      do {
        again = false;
        result = await withLock(() => runOnce(transport));
      } while (again);
      emit({ type: "flushed", result });
      return result;
    })().finally(() => { running = null; });
    return running;
  }

  scope.ChalkmarkQueue = { add, list, patch, retry, discard, pruneSaved, flush, fetchTransport,
    isDue, CHANNEL, SYNC_TAG };
})(self);
