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
      return { status: "ok", data: { batches: [], cursor, missed: false } };
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
});

describe("following chat", () => {
  it("asks from the snapshot's cursor, then from each answer's, and stops when unsubscribed", async () => {
    answers.push({ batches: [batch("a"), batch("b")], cursor: 7, missed: false });
    answers.push({ batches: [batch("c")], cursor: 9, missed: true });
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
});
