import { describe, expect, it } from "vitest";
import type { Comment, ModerationEvent, Platform } from "../ipc";
import {
  addComments,
  type ChatItem,
  type ChatLog,
  emptyLog,
  keptAfterDrop,
  SCROLLBACK,
  shownUnder,
} from "./chatLog";
import { applyModeration, lapsing, nextLapse, recentBy } from "./moderation";

const NOW = Date.UTC(2026, 10, 27, 20, 0, 0);

let next = 0;
function comment(platform: Platform, author: string, authorId: string | null, message = "hi"): Comment {
  next += 1;
  return { id: `c${next}`, platform, author, authorId, authorAvatar: null, message, timestamp: next };
}

let events = 0;
function moderation(event: Omit<ModerationEvent, "id" | "by"> & Partial<ModerationEvent>): ModerationEvent {
  events += 1;
  return { id: `m${events}`, by: "streamer", ...event };
}

/** What each item is, in order: a comment's message (with its mark), or a marker's parts. */
function shape(log: ChatLog): unknown[] {
  return log.items.map((item: ChatItem) => {
    switch (item.kind) {
      case "comment":
        return item.restricted ? [item.comment.message, item.restricted] : item.comment.message;
      case "moderated":
        return { action: item.action, by: item.by, author: item.author, minutes: item.minutes };
      default:
        return item.kind;
    }
  });
}

describe("a deleted comment", () => {
  it("leaves the log at once, a marker naming its author in its place (by the streamer)", () => {
    const [a, b, c] = [
      comment("twitch", "ana", "u1", "a"),
      comment("twitch", "bo", "u2", "b"),
      comment("kick", "cy", "u3", "c"),
    ];
    const log = addComments(emptyLog(), [a, b, c] as Comment[], false);
    const after = applyModeration(
      log,
      moderation({ action: "delete", platform: "twitch", commentId: b?.id }),
      NOW,
    );
    expect(shape(after)).toEqual([
      "a",
      { action: "delete", by: "streamer", author: "bo", minutes: null },
      "c",
    ]);
    expect(after.moderations).toBe(1);
    expect(after.items[1]).toMatchObject({ kind: "moderated", seq: 1, platform: "twitch" });
    // A replay of the removed comment does not bring it back.
    expect(addComments(after, [b as Comment], true)).toBe(after);
  });

  it("says a moderator on the platform removed it when the platform did", () => {
    const a = comment("youtube", "dee", "y1", "spam");
    const log = addComments(emptyLog(), [a], false);
    const after = applyModeration(
      log,
      moderation({ action: "delete", platform: "youtube", commentId: a.id, by: "platform" }),
      NOW,
    );
    expect(shape(after)).toEqual([{ action: "delete", by: "platform", author: "dee", minutes: null }]);
    expect(shownUnder(after.items[0] as ChatItem, "youtube")).toBe(true);
    expect(shownUnder(after.items[0] as ChatItem, "twitch")).toBe(false);
  });

  it("of a comment no longer in the log is marked where the event came, without a name", () => {
    const log = addComments(emptyLog(), [comment("twitch", "ana", "u1", "still here")], false);
    const after = applyModeration(
      log,
      moderation({ action: "delete", platform: "twitch", commentId: "gone" }),
      NOW,
    );
    expect(shape(after)).toEqual([
      "still here",
      { action: "delete", by: "streamer", author: null, minutes: null },
    ]);
  });
});

describe("a ban, a time-out and an unban", () => {
  it("mark every message of that author on that platform, and an unban takes the marks off", () => {
    const mine = [comment("twitch", "troll", "t1", "one"), comment("twitch", "troll", "t1", "two")];
    // The same id on another platform is someone else.
    const other = comment("kick", "troll", "t1", "kick one");
    let log = addComments(emptyLog(), [mine[0] as Comment, other, mine[1] as Comment], false);
    log = applyModeration(log, moderation({ action: "ban", platform: "twitch", authorId: "t1" }), NOW);
    expect(shape(log)).toEqual([
      ["one", { action: "ban" }],
      "kick one",
      ["two", { action: "ban" }],
      { action: "ban", by: "streamer", author: "troll", minutes: null },
    ]);
    const kickRow = log.items[1];
    log = applyModeration(
      log,
      moderation({ action: "unban", platform: "twitch", authorId: "t1", by: "platform" }),
      NOW,
    );
    expect(shape(log)).toEqual([
      "one",
      "kick one",
      "two",
      { action: "ban", by: "streamer", author: "troll", minutes: null },
      { action: "unban", by: "platform", author: "troll", minutes: null },
    ]);
    // Rows not concerned keep their item, so the list does not redraw them.
    expect(log.items[1]).toBe(kickRow);
    expect(log.moderations).toBe(2);
  });

  it("time out with the end kept on the messages and the length in minutes on the marker", () => {
    const said = comment("kick", "loud", "k9", "AAAA");
    let log = addComments(emptyLog(), [said], false);
    const until = NOW + 600_000;
    log = applyModeration(
      log,
      moderation({ action: "timeout", platform: "kick", authorId: "k9", until, by: "platform" }),
      NOW,
    );
    expect(shape(log)).toEqual([
      ["AAAA", { action: "timeout", until }],
      { action: "timeout", by: "platform", author: "loud", minutes: 10 },
    ]);
    // A time-out already over when it is read (a catch-up) gives no length.
    const late = applyModeration(
      log,
      moderation({ action: "timeout", platform: "kick", authorId: "k9", until: NOW - 1 }),
      NOW,
    );
    expect(late.items.at(-1)).toMatchObject({ kind: "moderated", minutes: null });
  });

  it("come off when the time-out ends, first the one that ends first; a ban and an open time-out stay", () => {
    const [early, late, banned, open] = [
      comment("twitch", "early", "e1", "e"),
      comment("kick", "late", "l1", "l"),
      comment("youtube", "banned", "b1", "b"),
      comment("twitch", "open", "o1", "o"),
    ];
    let log = addComments(emptyLog(), [early, late, banned, open] as Comment[], false);
    expect(nextLapse(log.items)).toBeNull();
    const timeout = (platform: Platform, authorId: string, until: number | null) =>
      moderation({ action: "timeout", platform, authorId, until });
    log = applyModeration(log, timeout("kick", "l1", NOW + 600_000), NOW);
    log = applyModeration(log, timeout("twitch", "e1", NOW + 60_000), NOW);
    log = applyModeration(log, moderation({ action: "ban", platform: "youtube", authorId: "b1" }), NOW);
    log = applyModeration(log, timeout("twitch", "o1", null), NOW);
    expect(nextLapse(log.items)).toBe(NOW + 60_000);
    // A moment before the end, nothing changes: the same log, so nothing is drawn again.
    expect(lapsing(log, NOW + 59_999)).toBe(log);
    const first = lapsing(log, NOW + 60_000);
    expect(shape(first).slice(0, 4)).toEqual([
      "e",
      ["l", { action: "timeout", until: NOW + 600_000 }],
      ["b", { action: "ban" }],
      ["o", { action: "timeout", until: null }],
    ]);
    // Rows not concerned keep their item, so the list does not redraw them.
    expect(first.items[1]).toBe(log.items[1]);
    expect(first.items.length).toBe(log.items.length);
    expect(nextLapse(first.items)).toBe(NOW + 600_000);
    const both = lapsing(first, NOW + 600_000);
    expect(shape(both).slice(0, 4)).toEqual([
      "e",
      "l",
      ["b", { action: "ban" }],
      ["o", { action: "timeout", until: null }],
    ]);
    expect(nextLapse(both.items)).toBeNull();
  });

  it("of an author with nothing in the log is marked without a name", () => {
    const log = applyModeration(
      emptyLog(),
      moderation({ action: "ban", platform: "twitch", authorId: "x" }),
      NOW,
    );
    expect(shape(log)).toEqual([{ action: "ban", by: "streamer", author: null, minutes: null }]);
  });
});

describe("moderation in the log", () => {
  it("is taken once, however often the stream brings it again", () => {
    const said = comment("twitch", "ana", "u1");
    const log = addComments(emptyLog(), [said], false);
    const event = moderation({ action: "delete", platform: "twitch", commentId: said.id });
    const once = applyModeration(log, event, NOW);
    expect(applyModeration(once, event, NOW)).toBe(once);
    // React may run an update twice: the log given is left as it was.
    expect(applyModeration(log, event, NOW)).toEqual(once);
    expect(shape(log)).toEqual(["hi"]);
  });

  it("counts its markers toward the log's bound", () => {
    const many = Array.from({ length: SCROLLBACK }, (_, i) => comment("kick", "v", `v${i}`, `m${i}`));
    const log = applyModeration(
      addComments(emptyLog(), many, false),
      moderation({ action: "ban", platform: "twitch", authorId: "nobody" }),
      NOW,
    );
    expect(log.items).toHaveLength(keptAfterDrop(SCROLLBACK));
    expect(log.items[0]).toMatchObject({ key: many[SCROLLBACK + 1 - keptAfterDrop(SCROLLBACK)]?.id });
    expect(log.items.at(-1)).toMatchObject({ kind: "moderated" });
  });

  it("finds an author's latest messages by their id, or by name where the service gave none", () => {
    const items = addComments(
      emptyLog(),
      [
        comment("twitch", "ana", "u1", "1"),
        comment("twitch", "renamed", "u1", "2"),
        comment("kick", "ana", "u1", "3"),
        comment("twitch", "old", null, "4"),
        comment("twitch", "ana", "u1", "5"),
        comment("twitch", "old", null, "6"),
      ],
      false,
    ).items;
    const text = (found: ReturnType<typeof recentBy>) => found.map((item) => item.comment.message);
    expect(text(recentBy(items, "twitch", "u1", "ana", 10))).toEqual(["1", "2", "5"]);
    expect(text(recentBy(items, "twitch", "u1", "ana", 2))).toEqual(["2", "5"]);
    expect(text(recentBy(items, "twitch", null, "old", 10))).toEqual(["4", "6"]);
  });
});
