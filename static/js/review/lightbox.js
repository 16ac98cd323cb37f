// Photo viewer for the review page: a thumbnail link marked data-lightbox opens its photo
// in the <dialog id="lightbox"> (modal: the page behind is inert), with zoom buttons and
// keys (+ / − zoom, ← / → previous / next, Esc closes). Closing gives focus back to the
// thumbnail. Zoom widens the image inside a scrolling frame, so a phone pans it by
// scrolling and pinch-zooms it natively. Without JS the link simply opens the file.

const ZOOMS = [1, 1.5, 2, 3, 4];
const dialog = document.getElementById("lightbox");

if (dialog instanceof HTMLDialogElement) {
  const image = dialog.querySelector(".lightbox-image");
  const caption = dialog.querySelector(".lightbox-caption");
  const zoomLabel = dialog.querySelector(".lightbox-zoom");
  const frame = dialog.querySelector(".lightbox-frame");
  let links = [];
  let index = 0;
  let zoom = 0;
  let opener = null;

  const setZoom = (level) => {
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, level));
    image.style.width = `${ZOOMS[zoom] * 100}%`;
    image.style.maxWidth = zoom ? "none" : "";
    dialog.classList.toggle("lightbox-zoomed", zoom > 0);
    zoomLabel.textContent = `${Math.round(ZOOMS[zoom] * 100)} %`;
  };

  const show = (position) => {
    index = (position + links.length) % links.length;
    const link = links[index];
    image.src = link.href;
    image.alt = link.querySelector("img")?.alt || link.dataset.caption || "Photo";
    caption.textContent = `${link.dataset.caption || image.alt} (${index + 1} of ${links.length})`;
    frame.scrollTo(0, 0);
    setZoom(0);
  };

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-lightbox]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    links = [...document.querySelectorAll("a[data-lightbox]")];
    opener = link;
    show(links.indexOf(link));
    dialog.showModal();
    dialog.querySelector("[data-lightbox-close]").focus();
  });

  dialog.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    if (!button) return;
    if (button.dataset.lightboxStep) show(index + Number(button.dataset.lightboxStep));
    if (button.dataset.lightboxZoom) setZoom(zoom + Number(button.dataset.lightboxZoom));
    if (button.hasAttribute("data-lightbox-close")) dialog.close();
  });

  const KEYS = { "+": () => setZoom(zoom + 1), "=": () => setZoom(zoom + 1), "-": () => setZoom(zoom - 1),
    "−": () => setZoom(zoom - 1), ArrowRight: () => show(index + 1), ArrowLeft: () => show(index - 1) };

  dialog.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Tab") return trapFocus(event);
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // A modal dialog already makes the page inert; keep Tab cycling inside it too (rather
  // than leaving for the browser's own toolbar).
  function trapFocus(event) {
    const focusable = [...dialog.querySelectorAll("button, [tabindex='0']")].filter((el) => !el.disabled);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  dialog.addEventListener("close", () => {
    image.src = "data:,";
    opener?.focus();
  });
}
