import { describe, expect, it, vi } from "vitest";
import type { CommentsDelivery } from "../bindings";

const answers: CommentsDelivery[] = [];
const asked: number[] = [];
let release: () => void = () => {};
vi.mock("../bindings", () => ({
  commands: {
    nextComments: async (cursor: number) => {
      asked.push(cursor);
      const answer = answers.shift();
      if (answer) return { status: "ok", data: answer };
      // Nothing more: this ask waits, as a long poll does, until the test ends it.
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { status: "ok", data: { from: cursor, batches: [], cursor, missed: false } };
    },
  },
  events: {},
}));

const { ipc } = await import("./index");

const batch = (id: string) => ({
  comments: [
    {
      id,
      platform: "twitch" as const,
      author: "a",
      authorAvatar: null,
      message: "m",
      timestamp: 1,
      own: false,
    },
  ],
  backfill: false,
  skipped: 0,
  moderation: null,
});

describe("following chat", () => {
  it("asks from the snapshot's cursor, then from each answer's, and stops when unsubscribed", async () => {
    answers.push({ from: 5, batches: [batch("a"), batch("b")], cursor: 7, missed: false });
    answers.push({ from: 7, batches: [batch("c")], cursor: 9, missed: true });
    const seen: string[] = [];
    const missed = vi.fn();
    const stop = ipc.followComments(5, (b) => seen.push(b.comments[0]?.id ?? ""), missed);
    await vi.waitFor(() => expect(asked).toEqual([5, 7, 9]));
    expect(seen).toEqual(["a", "b", "c"]);
    expect(missed).toHaveBeenCalledTimes(1);
    stop();
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(asked).toEqual([5, 7, 9]);
  });

  it("re-reads the snapshot when an answer starts past its cursor, and never goes back", async () => {
    asked.length = 0;
    // The answer to the ask at 9 went to a copy of an older ask; this one starts at 12.
    answers.push({ from: 12, batches: [batch("e")], cursor: 13, missed: false });
    // A late answer that ends before where the window already is does not move it back.
    answers.push({ from: 13, batches: [], cursor: 11, missed: false });
    const missed = vi.fn();
    const stop = ipc.followComments(9, () => {}, missed);
    await vi.waitFor(() => expect(asked).toEqual([9, 13, 13]));
    expect(missed).toHaveBeenCalledTimes(1);
    stop();
    release();
  });
});
