// Counts what the window writes to its DOM during the soak, for `FIGURES_SOAK_SCRIPT`:
//   FIGURES_SOAK_SCRIPT="$(cat examples/chat_figures/dom_writes.js)" npm run figures
// `callbacks` is the number of separate tasks that wrote (about one per React commit); writes
// inside the chat list are split by kind and attribute, writes elsewhere by the nearest test id.
const counts = { callbacks: 0, added: 0, removed: 0, text: 0, attributes: {}, outside: {} };
window.__soak = counts;
const list = document.querySelector("[data-testid=chat-list]");
const bump = (table, key) => {
  table[key] = (table[key] ?? 0) + 1;
};
new MutationObserver((records) => {
  counts.callbacks += 1;
  for (const record of records) {
    if (!list.contains(record.target)) {
      const element = record.target instanceof Element ? record.target : record.target.parentElement;
      bump(counts.outside, element?.closest("[data-testid]")?.dataset.testid ?? element?.nodeName);
    } else if (record.type === "attributes") {
      bump(counts.attributes, record.attributeName);
    } else if (record.type === "characterData") {
      counts.text += 1;
    } else {
      counts.added += record.addedNodes.length;
      counts.removed += record.removedNodes.length;
    }
  }
}).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
return true;
