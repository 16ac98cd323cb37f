// The CSRF token of this page (base.html writes it in <meta name="csrf-token">), sent as
// X-CSRFToken by every script that posts. The offline queue asks /capture/token instead:
// a page served from the cache may carry a stale one, and the service worker has no page.

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}
