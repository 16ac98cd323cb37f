// Timestamped comments on a video. On the review form, "Comment at 1:23" beside a video
// inserts [1:23] at the caret of the comment field used last (the overall feedback when
// none was). Wherever feedback is read, a [m:ss] button (server/review/timestamps.py)
// seeks the attempt's video there: the video played last, else the page's first.

const clock = (seconds) => {
  const whole = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
};

let lastField = null;
let lastVideo = null;

document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLTextAreaElement && field.closest("#rubric-form")) lastField = field;
});
document.addEventListener("play", (event) => {
  if (event.target instanceof HTMLVideoElement) lastVideo = event.target;
}, true);

// The "Comment at" buttons follow their video's time; they are hidden until JS runs.
for (const button of document.querySelectorAll("[data-comment-at]")) {
  const video = document.getElementById(button.dataset.commentAt);
  if (!(video instanceof HTMLVideoElement) || !document.getElementById("rubric-form")) continue;
  const time = button.querySelector(".comment-at-time");
  video.addEventListener("timeupdate", () => { time.textContent = clock(video.currentTime); });
  video.addEventListener("seeked", () => { time.textContent = clock(video.currentTime); });
  button.hidden = false;
}

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const commentAt = target?.closest("[data-comment-at]");
  if (commentAt) return insertMarker(commentAt);
  const seek = target?.closest("button[data-seek]");
  if (seek) seekTo(Number(seek.dataset.seek));
});

function insertMarker(button) {
  const video = document.getElementById(button.dataset.commentAt);
  const field = (lastField?.isConnected && lastField) || document.getElementById("feedback");
  if (!(video instanceof HTMLVideoElement) || !(field instanceof HTMLTextAreaElement)) return;
  const marker = `[${clock(video.currentTime)}] `;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const before = field.value.slice(0, start);
  const spaced = before && !/\s$/.test(before) ? ` ${marker}` : marker;
  field.value = before + spaced + field.value.slice(end);
  field.focus();
  field.setSelectionRange(start + spaced.length, start + spaced.length);
  field.dispatchEvent(new Event("input", { bubbles: true })); // the draft autosave hears it
}

function seekTo(seconds) {
  const video = (lastVideo?.isConnected && lastVideo) || document.querySelector("video");
  if (!(video instanceof HTMLVideoElement)) return;
  video.currentTime = seconds;
  video.scrollIntoView({ block: "nearest" });
  video.play().catch(() => {}); // a browser may refuse to play; the seek still stands
}
