// "Copy link" buttons: copy the named input's value, and say so for screen readers too.
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(input.value);
      button.textContent = "Copied";
    } catch {
      input.select(); // no clipboard permission: leave it selected to copy by hand
    }
  });
}
