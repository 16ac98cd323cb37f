// Coach pages: "select everyone shown" for nudges, and copying the invite link.

function setUpSelectAll() {
  for (const toggle of document.querySelectorAll("[data-select-all]")) {
    if (toggle.dataset.ready) continue;
    toggle.dataset.ready = "1";
    toggle.addEventListener("change", () => {
      const name = toggle.dataset.selectAll;
      for (const box of document.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
        box.checked = toggle.checked;
      }
    });
  }
}

function setUpCopy() {
  for (const button of document.querySelectorAll("[data-copy]")) {
    if (button.dataset.ready) continue;
    button.dataset.ready = "1";
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      const status = document.querySelector("[data-copy-status]");
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = "Link copied.";
      } catch {
        field.select(); // the person can copy it themselves
        if (status) status.textContent = "Select the link and copy it.";
      }
    });
  }
}

// The progress table scrolls sideways when its credentials do not fit: a shadow on the
// right says there is more, and the hint shows only while something is hidden.
function setUpScrollHints() {
  for (const frame of document.querySelectorAll("[data-scroll-frame]")) {
    if (frame.dataset.ready) continue;
    frame.dataset.ready = "1";
    const scroller = frame.querySelector(".table-scroll");
    const hint = document.querySelector("[data-scroll-hint]");
    const update = () => {
      const overflows = scroller.scrollWidth > scroller.clientWidth + 1;
      const atEnd = scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1;
      frame.classList.toggle("more-right", overflows && !atEnd);
      if (hint) hint.hidden = !overflows;
    };
    scroller.addEventListener("scroll", update, { passive: true });
    new ResizeObserver(update).observe(scroller);
    update();
  }
}

function setUp() {
  setUpSelectAll();
  setUpCopy();
  setUpScrollHints();
}

setUp();
// The progress table is replaced when a filter is chosen.
document.addEventListener("htmx:load", setUp);
