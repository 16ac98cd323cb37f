// A live word count under a written response, counted the way the server counts when it
// checks the part's range on submit (server/submissions/rigour.py: letters or digits,
// joined by an apostrophe, dot or hyphen).

const WORD = /[\p{L}\p{N}\p{M}]+(?:['’.\-][\p{L}\p{N}\p{M}]+)*/gu;

export function wordsIn(text) {
  return (text.match(WORD) || []).length;
}

function describe(count, min, max) {
  const noun = count === 1 ? "word" : "words";
  if (min && max) return `${count} ${noun} (asked: ${min} to ${max} words)`;
  if (min) return `${count} ${noun} (asked: at least ${min} words)`;
  if (max) return `${count} ${noun} (asked: up to ${max} words)`;
  return `${count} ${noun}`;
}

export function countWords(textarea) {
  const output = document.getElementById(textarea.dataset.wordCount);
  if (!output) return;
  const min = Number(textarea.dataset.minWords) || 0;
  const max = Number(textarea.dataset.maxWords) || 0;
  const count = wordsIn(textarea.value);
  output.textContent = describe(count, min, max);
  output.classList.toggle("word-count-off", count > 0 && ((min && count < min) || (max && count > max)));
}

// One listener for the page: a response swapped in later counts too.
document.addEventListener("input", (event) => {
  if (event.target.matches?.("textarea[data-word-count]")) countWords(event.target);
});
