// What taking a batch of comments into the chat log costs once it remembers a full set of ids,
// as it does after a few minutes of chat. `npm run bench` in ui/; figures in docs/benchmarks.md.
import { bench, describe } from "vitest";
import type { Comment } from "../ipc";
import { addComments, emptyLog, SEEN_IDS } from "./chatLog";

let next = 0;
function batch(size: number): Comment[] {
  return Array.from({ length: size }, () => {
    next += 1;
    return {
      id: `c${next}`,
      platform: "twitch",
      author: "viewer",
      authorAvatar: null,
      message: "hello",
      timestamp: next,
      own: false,
    };
  });
}

describe(`addComments, ${SEEN_IDS} ids remembered`, () => {
  for (const size of [1, 10, 100]) {
    let log = emptyLog();
    while (log.taken < SEEN_IDS) log = addComments(log, batch(50), false);
    bench(`a batch of ${size}`, () => {
      log = addComments(log, batch(size), false);
    });
  }
});
