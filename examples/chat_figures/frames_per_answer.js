// Counts, during the soak, how many times the window changes its chat list and scrolls it for
// each chat answer, for `FIGURES_SOAK_SCRIPT`:
//   FIGURES_SOAK_SCRIPT="$(cat examples/chat_figures/feed_answers.js examples/chat_figures/frames_per_answer.js)" \
//     FIGURES_ONLY=studio …
// `changes` counts separate tasks that changed the list (one per React commit or virtualizer
// write outside one); `framesChanged` counts animation frames after which the list had changed,
// so an answer drawn in one frame adds one and an answer moved again after its first layout adds
// two; `scrolls` counts the list's scroll events.
const counts = { answers: 0, changes: 0, framesChanged: 0, scrolls: 0 };
window.__soak = counts;
feedAnswers(() => {
  counts.answers += 1;
});
const list = document.querySelector("[data-testid=chat-list]");
let frameAsked = false;
new MutationObserver(() => {
  counts.changes += 1;
  if (frameAsked) return;
  frameAsked = true;
  requestAnimationFrame(() => {
    frameAsked = false;
    counts.framesChanged += 1;
  });
}).observe(list, { subtree: true, childList: true, attributes: true, characterData: true });
list.addEventListener(
  "scroll",
  () => {
    counts.scrolls += 1;
  },
  { passive: true },
);
return true;
