// Moderation as the chat log shows it: a deleted comment leaves at once with a marker in its
// place, and a timed-out or banned author's messages stay, marked, until an unban clears them or
// the time-out ends.
// Moderation comes through the same inbox as comments, after the comments it follows, so it is
// applied in the stream's order. Pure, like chatLog.ts: React may run an update twice.
import type { ModerationEvent, Platform } from "../ipc";
import {
  bounded,
  type ChatItem,
  type ChatLog,
  hasSeen,
  type ModerationMarker,
  type Restriction,
  remembering,
  SCROLLBACK,
} from "./chatLog";

const MINUTE_MS = 60_000;

type CommentItem = Extract<ChatItem, { kind: "comment" }>;

/** Whether `item` is a comment by `authorId` on `platform`. */
function byAuthor(item: ChatItem, platform: Platform, authorId: string): item is CommentItem {
  return item.kind === "comment" && item.comment.platform === platform && item.comment.authorId === authorId;
}

/** A time-out's length in whole minutes from now; `null` when unknown or already over. */
function minutesLeft(until: number | null | undefined, now: number): number | null {
  if (until === null || until === undefined || until <= now) return null;
  return Math.max(1, Math.round((until - now) / MINUTE_MS));
}

/** The name of `authorId`'s newest comment in the log, if any is there. */
function authorName(items: ChatItem[], platform: Platform, authorId: string): string | null {
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i] as ChatItem;
    if (byAuthor(item, platform, authorId)) return item.comment.author;
  }
  return null;
}

/** `item` with no mark on it. */
function unmarked(item: CommentItem): ChatItem {
  return { kind: "comment", key: item.key, comment: item.comment };
}

/** The comment items of `authorId` marked with `restriction` (`null`: unmarked); others as they were. */
function marking(
  items: ChatItem[],
  platform: Platform,
  authorId: string,
  restriction: Restriction | null,
): ChatItem[] {
  return items.map((item) => {
    if (!byAuthor(item, platform, authorId)) return item;
    return restriction ? { ...item, restricted: restriction } : unmarked(item);
  });
}

/**
 * `log` after `event`. A deleted comment is replaced by a marker where it was (or, when it is no
 * longer in the log, the marker comes where the event did); a time-out or ban marks every message
 * of that author on that platform, and an unban takes the marks off; each adds a marker. `now` is
 * the service's clock, which a time-out's end is given in. An event taken before changes nothing.
 */
export function applyModeration(
  log: ChatLog,
  event: ModerationEvent,
  now: number,
  keep = SCROLLBACK,
): ChatLog {
  const id = `moderation:${event.id}`;
  if (hasSeen(log.seen, id)) return log;
  const { platform, authorId } = event;
  const added = log.added + 1;
  const moderations = log.moderations + 1;
  const marker = (author: string | null, minutes: number | null = null): ModerationMarker => ({
    kind: "moderated",
    key: `moderated-${added}`,
    seq: moderations,
    action: event.action,
    by: event.by,
    platform,
    author,
    minutes,
  });
  let items: ChatItem[];
  if (event.action === "delete") {
    const at = log.items.findIndex((item) => item.kind === "comment" && item.comment.id === event.commentId);
    const gone = log.items[at];
    items =
      gone?.kind === "comment"
        ? [...log.items.slice(0, at), marker(gone.comment.author), ...log.items.slice(at + 1)]
        : [...log.items, marker(null)];
  } else if (!authorId) {
    items = [...log.items, marker(null)];
  } else {
    const author = authorName(log.items, platform, authorId);
    const restriction: Restriction | null =
      event.action === "ban"
        ? { action: "ban" }
        : event.action === "timeout"
          ? { action: "timeout", until: event.until ?? null }
          : null;
    const minutes = event.action === "timeout" ? minutesLeft(event.until, now) : null;
    items = [...marking(log.items, platform, authorId, restriction), marker(author, minutes)];
  }
  return {
    ...log,
    items: bounded(items, keep),
    seen: remembering(log.seen, [id]),
    added,
    moderations,
  };
}

/**
 * When the first time-out marked in `items` ends (the service's clock), or `null` when none will:
 * a ban, or a time-out the service gave no end for, stays until an unban.
 */
export function nextLapse(items: readonly ChatItem[]): number | null {
  let first: number | null = null;
  for (const item of items) {
    if (item.kind !== "comment" || item.restricted?.action !== "timeout") continue;
    const { until } = item.restricted;
    if (until !== null && (first === null || until < first)) first = until;
  }
  return first;
}

/**
 * `log` with the marks of every time-out over by `now` (the service's clock) taken off: the
 * author may speak again, so their messages are no longer tagged. The same log when none is over.
 */
export function lapsing(log: ChatLog, now: number): ChatLog {
  const over = (item: ChatItem): item is CommentItem =>
    item.kind === "comment" &&
    item.restricted?.action === "timeout" &&
    item.restricted.until !== null &&
    item.restricted.until <= now;
  if (!log.items.some(over)) return log;
  return { ...log, items: log.items.map((item) => (over(item) ? unmarked(item) : item)) };
}

/** The newest messages of the author of `comment` in the log (by id where the service gives one). */
export function recentBy(
  items: ChatItem[],
  platform: Platform,
  authorId: string | null,
  author: string,
  count: number,
): CommentItem[] {
  const found: CommentItem[] = [];
  for (let i = items.length - 1; i >= 0 && found.length < count; i -= 1) {
    const item = items[i] as ChatItem;
    if (item.kind !== "comment" || item.comment.platform !== platform) continue;
    const same = authorId ? item.comment.authorId === authorId : item.comment.author === author;
    if (same) found.push(item);
  }
  return found.reverse();
}
