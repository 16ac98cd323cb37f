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

function setUp() {
  setUpSelectAll();
  setUpCopy();
}

setUp();
// The progress table is replaced when a filter is chosen.
document.addEventListener("htmx:load", setUp);
