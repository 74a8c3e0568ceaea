// Experiment: the chat's answers are handed to the window together every 400 ms, so it takes
// fewer, larger answers (as if the sender's bursts came 400 ms apart): what the window costs per
// answer against per comment. After feed_answers.js (see there). The feed still sends each
// answer as it comes; only the window's share changes.
window.__soak = { answers: 0, handed: 0 };
const slowed = new WeakSet();
feedAnswers((_answer, event) => {
  const feed = event.target;
  if (slowed.has(feed)) return;
  slowed.add(feed);
  // From the next answer on, answers are held and handed over as one, in order.
  const handle = feed.onmessage;
  let held = [];
  feed.onmessage = (message) => {
    window.__soak.answers += 1;
    held.push(JSON.parse(message.data));
  };
  setInterval(() => {
    if (held.length === 0) return;
    const answers = held;
    held = [];
    window.__soak.handed += 1;
    const merged = {
      ...answers.at(-1),
      from: answers[0].from,
      missed: answers.some((answer) => answer.missed),
      batches: answers.flatMap((answer) => answer.batches),
    };
    handle.call(feed, { data: JSON.stringify(merged) });
  }, 400);
});
return true;
