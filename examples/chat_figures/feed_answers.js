// Shared by the soak experiments, put before one of them in `FIGURES_SOAK_SCRIPT`:
//   FIGURES_SOAK_SCRIPT="$(cat examples/chat_figures/feed_answers.js examples/chat_figures/X.js)"
// The window follows its chat on an EventSource (the app's chat feed on loopback), and reads each
// answer's `data` once. `feedAnswers(look)` calls `look(answer, event)` with each answer, parsed,
// as the page reads it; what `look` returns (if anything) is what the page gets instead.
const feedData = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data");
const feedAnswers = (look) =>
  Object.defineProperty(MessageEvent.prototype, "data", {
    ...feedData,
    get() {
      const data = feedData.get.call(this);
      if (!(this.target instanceof EventSource)) return data;
      const changed = look(JSON.parse(data), this);
      return changed === undefined ? data : JSON.stringify(changed);
    },
  });
