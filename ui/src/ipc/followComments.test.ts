import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AppError, CommentsDelivery } from "../bindings";

/** The studio's answers to `chatFeed`, in turn; the last one repeats. */
let addresses: ({ status: "ok"; data: string } | { status: "error"; error: AppError })[] = [];
vi.mock("../bindings", () => ({
  commands: {
    chatFeed: async () => (addresses.length > 1 ? addresses.shift() : addresses[0]),
  },
  events: {},
}));

/** The browser's EventSource, as far as the window uses it (the real one is driven end to end). */
class FakeFeed {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeFeed[] = [];
  readyState = FakeFeed.CONNECTING;
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeFeed.opened.push(this);
  }
  answer(delivery: CommentsDelivery) {
    this.readyState = FakeFeed.OPEN;
    this.onmessage?.({ data: JSON.stringify(delivery) } as MessageEvent<string>);
  }
  fail(closed: boolean) {
    this.readyState = closed ? FakeFeed.CLOSED : FakeFeed.CONNECTING;
    this.onerror?.();
  }
  close() {
    this.readyState = FakeFeed.CLOSED;
  }
}

const { ipc } = await import("./index");

const ADDRESS = "http://127.0.0.1:4321/chat/s3cret/feed";
const unavailable: AppError = {
  code: "chat_feed_unavailable",
  status: 0,
  message: "",
  cause: "New chat cannot reach this window.",
  fix: "Restart the studio.",
  concern: null,
};

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

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("EventSource", FakeFeed);
  FakeFeed.opened = [];
  addresses = [{ status: "ok", data: ADDRESS }];
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const follow = (cursor: number) => {
  const seen: string[] = [];
  const missed = vi.fn();
  const problems: (AppError | null)[] = [];
  const stop = ipc.followComments(
    cursor,
    (b) => seen.push(b.comments[0]?.id ?? ""),
    missed,
    (problem) => problems.push(problem),
  );
  return { seen, missed, problems, stop };
};

describe("following chat", () => {
  it("opens the feed at the snapshot's cursor and hands over each answer's batches in order", async () => {
    const { seen, missed, problems, stop } = follow(5);
    await vi.waitFor(() => expect(FakeFeed.opened).toHaveLength(1));
    const feed = FakeFeed.opened[0] as FakeFeed;
    expect(feed.url).toBe(`${ADDRESS}?cursor=5`);
    expect(problems).toEqual([null]);
    feed.answer({ from: 5, batches: [batch("a"), batch("b")], cursor: 7, missed: false });
    feed.answer({ from: 7, batches: [batch("c")], cursor: 9, missed: false });
    expect(seen).toEqual(["a", "b", "c"]);
    expect(missed).not.toHaveBeenCalled();
    stop();
    expect(feed.readyState).toBe(FakeFeed.CLOSED);
  });

  it("re-reads the snapshot when an answer says chat was dropped or starts past its cursor", async () => {
    const { seen, missed, stop } = follow(9);
    await vi.waitFor(() => expect(FakeFeed.opened).toHaveLength(1));
    const feed = FakeFeed.opened[0] as FakeFeed;
    feed.answer({ from: 9, batches: [batch("d")], cursor: 11, missed: true });
    expect(missed).toHaveBeenCalledTimes(1);
    // The answer after 11 went to a feed the window had left: this one starts at 12.
    feed.answer({ from: 12, batches: [batch("e")], cursor: 13, missed: false });
    expect(missed).toHaveBeenCalledTimes(2);
    feed.answer({ from: 13, batches: [batch("f")], cursor: 14, missed: false });
    expect(missed).toHaveBeenCalledTimes(2);
    expect(seen).toEqual(["d", "e", "f"]);
    stop();
  });

  it("leaves a dropped connection to the EventSource and opens a refused one again from where it was", async () => {
    const { seen, stop } = follow(0);
    await vi.waitFor(() => expect(FakeFeed.opened).toHaveLength(1));
    const first = FakeFeed.opened[0] as FakeFeed;
    first.answer({ from: 0, batches: [batch("a")], cursor: 3, missed: false });
    first.fail(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeFeed.opened).toHaveLength(1);
    first.fail(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeFeed.opened).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(FakeFeed.opened).toHaveLength(2));
    const second = FakeFeed.opened[1] as FakeFeed;
    expect(second.url).toBe(`${ADDRESS}?cursor=3`);
    second.answer({ from: 3, batches: [batch("b")], cursor: 4, missed: false });
    expect(seen).toEqual(["a", "b"]);
    stop();
  });

  it("says why chat cannot reach the window, asks again, and clears it once the feed opens", async () => {
    addresses = [
      { status: "error", error: unavailable },
      { status: "ok", data: ADDRESS },
    ];
    const { problems, stop } = follow(2);
    await vi.waitFor(() => expect(problems).toEqual([unavailable]));
    expect(FakeFeed.opened).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.waitFor(() => expect(FakeFeed.opened).toHaveLength(1));
    expect(problems).toEqual([unavailable, null]);
    stop();
  });

  it("opens nothing and asks nothing more once unsubscribed", async () => {
    addresses = [{ status: "error", error: unavailable }];
    const { problems, stop } = follow(2);
    await vi.waitFor(() => expect(problems).toHaveLength(1));
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(problems).toHaveLength(1);
    expect(FakeFeed.opened).toHaveLength(0);
  });
});
