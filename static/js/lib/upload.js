// The one XMLHttpRequest uploader, because fetch cannot report upload progress. Used by the
// capture page's upload queue (same contract as ChalkmarkQueue.fetchTransport, the worker's)
// and by the draft page's evidence forms.
//
// xhrTransport({method, url, headers, body, onProgress(loaded, total), timeoutMs})
//   -> {status, body: parsed JSON or {}}; rejects with kind "network" when no answer came.

export function xhrTransport({ method, url, headers, body, onProgress, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers || {})) xhr.setRequestHeader(name, value);
    if (timeoutMs) xhr.timeout = timeoutMs;
    if (onProgress) {
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(event.loaded, event.total);
      });
    }
    xhr.addEventListener("load", () => {
      let json = {};
      try { json = JSON.parse(xhr.responseText || "{}"); } catch (_) { /* not JSON */ }
      resolve({ status: xhr.status, body: json });
    });
    const dropped = () => {
      const error = new Error("The connection dropped. It will try again when you're back online.");
      error.kind = "network";
      reject(error);
    };
    xhr.addEventListener("error", dropped);
    xhr.addEventListener("timeout", dropped);
    xhr.addEventListener("abort", dropped);
    xhr.send(body ?? null);
  });
}
