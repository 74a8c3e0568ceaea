import { describe, expect, it } from "vitest";
import type { Comment, Platform } from "../ipc";
import {
  addComments,
  addSkipped,
  type ChatItem,
  dropSend,
  emptyLog,
  finishSend,
  keptAfterDrop,
  SCROLLBACK,
  SCROLLBACK_WHILE_READING,
  SEEN_IDS,
  shownUnder,
  startSend,
  TEXT_KEPT,
} from "./chatLog";

let next = 0;
function comment(platform: Platform, message: string, own = false): Comment {
  next += 1;
  return { id: `c${next}`, platform, author: "viewer", authorAvatar: null, message, timestamp: next, own };
}

describe("the chat log", () => {
  it("shows each id once, whatever the overlap of snapshot, events and replays", () => {
    const a = comment("twitch", "a");
    const b = comment("kick", "b");
    let log = addComments(emptyLog(), [a, b, a], false);
    log = addComments(log, [b, a], false);
    log = addComments(log, [a], true);
    expect(log.items.map((i) => i.key)).toEqual([a.id, b.id]);
  });

  it("leaves the log it was given as it was, as React may call an update twice", () => {
    const earlier = addComments(emptyLog(), [comment("twitch", "earlier")], false);
    const batch = [comment("kick", "one"), comment("youtube", "two")];
    const first = addComments(earlier, batch, false);
    const again = addComments(earlier, batch, false);
    expect(again).toEqual(first);
    expect(again.items.map((i) => i.key)).toEqual([earlier.items[0]?.key, batch[0]?.id, batch[1]?.id]);
    expect(earlier.seen.map((chunk) => [...chunk])).toEqual([[earlier.items[0]?.key]]);
  });

  it("remembers at least the last SEEN_IDS ids, and not many more", () => {
    const all = Array.from({ length: SEEN_IDS + 1200 }, (_, i) => comment("kick", `m${i}`));
    let log = emptyLog();
    for (let at = 0; at < all.length; at += 7) log = addComments(log, all.slice(at, at + 7), false);
    const remembered = log.seen.reduce((sum, chunk) => sum + chunk.size, 0);
    expect(remembered).toBeGreaterThanOrEqual(SEEN_IDS);
    expect(remembered).toBeLessThanOrEqual(SEEN_IDS + SEEN_IDS / 8);
    const lastRemembered = all.slice(-SEEN_IDS);
    expect(addComments(log, lastRemembered, true)).toBe(log);
    const forgotten = all[0] as Comment;
    expect(addComments(log, [forgotten], false).taken).toBe(log.taken + 1);
  });

  it("marks where a reconnect caught up, and only when it brought something new", () => {
    let log = addComments(emptyLog(), [comment("twitch", "before")], false);
    const replayed = [comment("youtube", "missed 1"), comment("kick", "missed 2")];
    log = addComments(log, replayed, true);
    expect(log.items.map((i) => i.kind)).toEqual(["comment", "backfill", "comment", "comment"]);
    expect(log.items[1]).toMatchObject({ kind: "backfill", count: 2 });
    const again = addComments(log, replayed, true);
    expect(again.items).toHaveLength(4);
  });

  it("marks messages too large to show where they came, one marker for a run of them", () => {
    let log = addComments(emptyLog(), [comment("twitch", "before")], false);
    log = addSkipped(log, 1);
    log = addSkipped(log, 2);
    expect(addSkipped(log, 0)).toBe(log);
    log = addComments(log, [comment("kick", "after")], false);
    log = addSkipped(log, 1);
    expect(log.items.map((i) => i.kind)).toEqual(["comment", "skipped", "comment", "skipped"]);
    expect(log.items[1]).toMatchObject({ kind: "skipped", count: 3 });
    expect(log.items[3]).toMatchObject({ kind: "skipped", count: 1 });
    expect(new Set(log.items.map((i) => i.key)).size).toBe(4);
    expect(shownUnder(log.items[1] as ChatItem, "youtube")).toBe(true);
    let flood = emptyLog();
    for (let i = 0; i < SCROLLBACK * 3; i += 1) flood = addSkipped(flood, 1);
    expect(flood.items).toEqual([{ kind: "skipped", key: "skipped-1", count: SCROLLBACK * 3 }]);
  });

  it("keeps at most the scrollback, dropping the oldest tenth once it is over", () => {
    const many = Array.from({ length: SCROLLBACK + 50 }, (_, i) => comment("twitch", `m${i}`));
    const log = addComments(emptyLog(), many, false);
    expect(keptAfterDrop(SCROLLBACK)).toBe(900);
    expect(log.items).toHaveLength(900);
    expect(log.items[0]).toMatchObject({ key: many[150]?.id });
    expect(log.items.at(-1)).toMatchObject({ key: many.at(-1)?.id });
    expect(log.added).toBe(SCROLLBACK + 50);
    expect(log.taken).toBe(SCROLLBACK + 50);
  });

  it("moves no row it keeps between drops, as comments come a few at a time", () => {
    // Each drop moves every row shown (its index changes); between drops a row keeps its index,
    // so the list draws only the new rows.
    let log = emptyLog();
    let drops = 0;
    for (let n = 0; n < 3 * SCROLLBACK; n += 5) {
      const batch = Array.from({ length: 5 }, (_, i) => comment("kick", `b${n + i}`));
      const before = log.items;
      log = addComments(log, batch, false);
      expect(log.items.length).toBeLessThanOrEqual(SCROLLBACK);
      expect(log.items.at(-1)).toMatchObject({ key: batch.at(-1)?.id });
      if (log.items.length === before.length + batch.length) {
        // Nothing dropped: every row kept is where it was.
        expect(log.items.slice(0, before.length)).toEqual(before);
      } else {
        drops += 1;
        expect(log.items).toHaveLength(keptAfterDrop(SCROLLBACK));
      }
    }
    // 3,000 comments, a drop each time the log grows past 1,000: at 1,005, then each time it has
    // grown from 900 past 1,000 again (every 105).
    expect(drops).toBe(20);
  });

  it("counts out the text of the rows it drops for the scrollback", () => {
    // 100 rows of 9,000 characters are under TEXT_KEPT; text counted for rows already dropped
    // would soon be over it, and the log would drop rows it has room for.
    let log = emptyLog();
    for (let n = 0; n < 1_000; n += 1) {
      log = addComments(log, [comment("twitch", "y".repeat(9_000 - 8))], false, 100);
      expect(log.items.length).toBe(n < 100 ? n + 1 : 90 + ((n - 100) % 11));
    }
  });

  it("keeps more while the streamer reads, and still a bound", () => {
    const many = Array.from({ length: SCROLLBACK_WHILE_READING + 10 }, (_, i) => comment("kick", `r${i}`));
    const log = addComments(emptyLog(), many, false, SCROLLBACK_WHILE_READING);
    expect(log.items).toHaveLength(keptAfterDrop(SCROLLBACK_WHILE_READING));
    expect(log.items[0]).toMatchObject({ key: many[210]?.id });
    const full = addComments(
      emptyLog(),
      many.slice(0, SCROLLBACK_WHILE_READING),
      false,
      SCROLLBACK_WHILE_READING,
    );
    expect(full.items).toHaveLength(SCROLLBACK_WHILE_READING);
  });

  it("keeps at most TEXT_KEPT characters of text, and always the newest item", () => {
    // Comments as long as the client lets through (its line cap is 64 KiB).
    const long = Array.from({ length: 100 }, (_, i) => comment("twitch", `${i}`.padEnd(60_000, "x")));
    const log = addComments(emptyLog(), long, false);
    const text = log.items.reduce(
      (sum, item) => sum + (item.kind === "comment" ? item.comment.message.length : 0),
      0,
    );
    expect(text).toBeLessThanOrEqual(TEXT_KEPT);
    expect(log.items.length).toBe(Math.floor(TEXT_KEPT / (60_000 + "viewer".length)));
    expect(log.items.at(-1)).toMatchObject({ key: long.at(-1)?.id });
    const huge = comment("kick", "y".repeat(TEXT_KEPT + 1));
    expect(addComments(log, [huge], false).items.map((i) => i.key)).toEqual([huge.id]);
  });

  it("keeps the text bound as comments come one at a time, around sends that come and go", () => {
    // What the log should hold: the longest run of the newest items within both bounds, and
    // always the newest. Counted from scratch here; the log counts only what changed.
    const textOfItem = (item: ChatItem) =>
      item.kind === "comment" ? item.comment.message.length + item.comment.author.length : 0;
    const newestWithin = (ever: ChatItem[], keep: number) => {
      let start = ever.length - 1;
      let chars = textOfItem(ever[start] as ChatItem);
      while (start > 0 && ever.length - start < keep) {
        const more = chars + textOfItem(ever[start - 1] as ChatItem);
        if (more > TEXT_KEPT) break;
        chars = more;
        start -= 1;
      }
      return ever.slice(start).map((item) => item.key);
    };
    let log = emptyLog();
    let ever: ChatItem[] = [];
    for (let n = 0; n < 400; n += 1) {
      const one = comment("twitch", "x".repeat(((n * 7_919) % 60_000) + 1));
      log = addComments(log, [one], false, 300);
      ever = [...ever, log.items.at(-1) as ChatItem];
      if (n % 50 === 0) {
        // A send that never reached the service leaves an array the log did not bound itself.
        log = dropSend(startSend(log, `sent-${n}`, "hi", ["twitch"], n, 300), `sent-${n}`);
      }
      expect(log.items.map((item) => item.key)).toEqual(newestWithin(ever, 300));
    }
    expect(log.items.length).toBeLessThan(300);
    expect(log.items.length).toBeGreaterThan(1);
  });

  it("keeps a send within the scrollback too", () => {
    const many = Array.from({ length: SCROLLBACK }, (_, i) => comment("twitch", `s${i}`));
    const full = addComments(emptyLog(), many, false);
    expect(full.items).toHaveLength(SCROLLBACK);
    const log = startSend(full, "sent-1", "hi", ["twitch"], 1);
    expect(log.items).toHaveLength(keptAfterDrop(SCROLLBACK));
    expect(log.items.at(-1)).toMatchObject({ kind: "sent", key: "sent-1" });
    expect(log.items[0]).toMatchObject({ key: many[SCROLLBACK + 1 - keptAfterDrop(SCROLLBACK)]?.id });
  });

  it("groups a sent message and its echoes into one item with a receipt per platform", () => {
    let log = startSend(emptyLog(), "sent-1", "hello chat", ["twitch", "kick", "youtube"], 1);
    // Echoes can come back before the service's answer does.
    log = addComments(
      log,
      [comment("twitch", "hello chat", true), comment("kick", "hello chat", true)],
      false,
    );
    log = finishSend(log, "sent-1", [
      { platform: "twitch", ok: true },
      { platform: "kick", ok: true },
      { platform: "youtube", ok: false, error: "platform_rejected" },
    ]);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      kind: "sent",
      receipts: [
        { platform: "kick", state: "delivered" },
        { platform: "twitch", state: "delivered" },
        { platform: "youtube", state: "failed", error: "platform_rejected" },
      ],
    });
  });

  it("groups echoes of a message sent before the window opened, and tells repeats apart", () => {
    const echoes = [
      comment("twitch", "gg", true),
      comment("kick", "gg", true),
      comment("twitch", "gg", true),
      comment("kick", "gg", true),
    ];
    const log = addComments(emptyLog(), echoes, false);
    expect(log.items.map((i) => (i.kind === "sent" ? i.receipts.map((r) => r.platform) : []))).toEqual([
      ["kick", "twitch"],
      ["kick", "twitch"],
    ]);
  });

  it("takes back a send that never reached the service", () => {
    const log = dropSend(startSend(emptyLog(), "sent-1", "lost?", ["twitch"], 1), "sent-1");
    expect(log.items).toEqual([]);
  });

  it("filters by platform, keeping markers and the streamer's sends to it", () => {
    const log = startSend(
      addComments(emptyLog(), [comment("twitch", "t"), comment("kick", "k")], false),
      "s",
      "x",
      ["kick"],
      1,
    );
    expect(log.items.filter((i) => shownUnder(i, "kick")).map((i) => i.kind)).toEqual(["comment", "sent"]);
    expect(log.items.filter((i) => shownUnder(i, null))).toHaveLength(3);
  });
});
