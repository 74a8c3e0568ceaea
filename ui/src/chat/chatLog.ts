// The merged chat as the window shows it: comments, the streamer's own sent messages (one item
// with a receipt per platform, however many echoes come back), and markers where a reconnect
// caught up and where chat was moderated (moderation.ts applies those). Pure functions over an
// immutable log, so the list component and tests see the same thing, and React may run an update
// twice (as the development build does) without losing a message.
import type { Comment, ModeratedBy, ModerationAction, Platform, SendResult } from "../ipc";

/**
 * Items kept at most for scrollback while the streamer follows the chat (the client itself keeps
 * 200); a full log drops to `keptAfterDrop` of it at once.
 */
export const SCROLLBACK = 1000;
/** While the streamer reads older messages nothing is dropped under them, up to this many. */
export const SCROLLBACK_WHILE_READING = 2 * SCROLLBACK;
/**
 * Characters of text kept at most, across every item: a comment may be up to 64 KiB, and a
 * scrollback of them would otherwise hold a hundred megabytes. The newest item always stays.
 */
export const TEXT_KEPT = 1_000_000;
/** Comment ids remembered, to skip what a snapshot or a catch-up brings again. */
export const SEEN_IDS = 4 * SCROLLBACK;
/**
 * They are kept in sets of this many, frozen once full: a new log copies only the newest set, so
 * taking one comment costs a copy of at most this many ids, not of all of them. Smaller sets copy
 * less per answer and give each id more sets to look in: at 200, taking one comment costs about
 * two thirds of what it did at 500, and a batch of 100 a third more (`npm run bench`).
 */
const SEEN_CHUNK = 200;
/** Sets kept: enough for `SEEN_IDS` ids when the newest holds only one. */
const SEEN_CHUNKS_KEPT = Math.ceil(SEEN_IDS / SEEN_CHUNK) + 1;

export type ReceiptState = "sending" | "delivered" | "failed";
export interface Receipt {
  platform: Platform;
  state: ReceiptState;
  error?: string;
}

/** What keeps a comment's author out of the chat, as their messages show it. */
export type Restriction = { action: "ban" } | { action: "timeout"; until: number | null };

/** A moderation where it happened in the chat; it is worded when shown (see moderationWords). */
export interface ModerationMarker {
  kind: "moderated";
  key: string;
  /** Counts markers ever added, from 1, so the new ones can be announced. */
  seq: number;
  action: ModerationAction;
  by: ModeratedBy;
  platform: Platform;
  /** The author's name, from their messages in the log; `null` when none of them is there. */
  author: string | null;
  /** A time-out's length in whole minutes, when the service said when it ends. */
  minutes: number | null;
}

export type ChatItem =
  /** `restricted` while its author is banned or timed out. */
  | { kind: "comment"; key: string; comment: Comment; restricted?: Restriction }
  | {
      kind: "sent";
      key: string;
      message: string;
      at: number;
      receipts: Receipt[];
      /** Platforms whose echo came back (each platform echoes a message once). */
      echoed: Platform[];
    }
  | { kind: "backfill"; key: string; count: number }
  /** Messages too large to show, skipped where they came (one marker for a run of them). */
  | { kind: "skipped"; key: string; count: number }
  | ModerationMarker;

export interface ChatLog {
  items: ChatItem[];
  /** Comment ids already taken, in sets of `SEEN_CHUNK`, oldest first (bounded). */
  seen: readonly ReadonlySet<string>[];
  /** Counts items ever added, for keys and for "N new messages". */
  added: number;
  /** Counts distinct comments ever taken in (for diagnostics and the chat figures). */
  taken: number;
  /** Counts moderation markers ever added (each is announced). */
  moderations: number;
}

export function emptyLog(): ChatLog {
  return { items: [], seen: [], added: 0, taken: 0, moderations: 0 };
}

/** Whether `id` (a comment's, or a moderation's) was taken before. */
export function hasSeen(seen: ChatLog["seen"], id: string): boolean {
  return seen.some((chunk) => chunk.has(id));
}

/** The comments of `comments` not taken before (nor earlier in the same batch). */
function freshIn(seen: ChatLog["seen"], comments: Comment[]): Comment[] {
  const fresh: Comment[] = [];
  const taken = new Set<string>();
  for (const comment of comments) {
    if (hasSeen(seen, comment.id) || taken.has(comment.id)) continue;
    taken.add(comment.id);
    fresh.push(comment);
  }
  return fresh;
}

/** `seen` plus `ids`, bounded. The sets of `seen` stay as they were. */
export function remembering(seen: ChatLog["seen"], ids: string[]): ChatLog["seen"] {
  const chunks = seen.slice();
  const newest = chunks.at(-1);
  let filling = newest && newest.size < SEEN_CHUNK ? new Set(chunks.pop()) : new Set<string>();
  for (const id of ids) {
    if (filling.size === SEEN_CHUNK) {
      chunks.push(filling);
      filling = new Set();
    }
    filling.add(id);
  }
  chunks.push(filling);
  return chunks.length > SEEN_CHUNKS_KEPT ? chunks.slice(chunks.length - SEEN_CHUNKS_KEPT) : chunks;
}

/** Where an own echo belongs: the latest sent item with the same text not yet echoed there. */
function sentItemFor(items: ChatItem[], echo: Comment): number {
  for (let i = items.length - 1, looked = 0; i >= 0 && looked < 200; i -= 1, looked += 1) {
    const item = items[i];
    if (item?.kind === "sent" && item.message === echo.message && !item.echoed.includes(echo.platform)) {
      return i;
    }
  }
  return -1;
}

function textOf(item: ChatItem): number {
  switch (item.kind) {
    case "comment":
      return item.comment.message.length + item.comment.author.length;
    case "sent":
      return item.message.length;
    case "moderated":
      return item.author?.length ?? 0;
    default:
      return 0;
  }
}

/**
 * The text each items array holds, found once per array: a log's arrays are never changed once
 * made, and a busy chat makes one per answer, so bounding it must not count a thousand items each
 * time. Weak: an array the log has let go takes its count with it.
 */
const textHeld = new WeakMap<readonly ChatItem[], number>();

function textIn(items: readonly ChatItem[], from = 0): number {
  let chars = 0;
  for (let i = from; i < items.length; i++) chars += textOf(items[i] as ChatItem);
  return chars;
}

function textHeldBy(items: readonly ChatItem[]): number {
  let chars = textHeld.get(items);
  if (chars === undefined) {
    chars = textIn(items);
    textHeld.set(items, chars);
  }
  return chars;
}

/**
 * What a full log keeps of `keep` when it drops its oldest items: it drops a tenth at once, not
 * an item or two with every answer. Each drop moves every row still shown (its index and its
 * place from the top of the list change), so a busy chat that dropped with each answer had the
 * list write the place of every row on screen ten times a second; dropped in steps, the rows
 * already shown stay where they are, and only new rows are drawn, between drops.
 */
export function keptAfterDrop(keep: number): number {
  return Math.ceil(keep * 0.9);
}

/**
 * At most the newest `keep` items (down to `keptAfterDrop(keep)` once over it), fewer if their
 * text is over `TEXT_KEPT`; `items` itself if all fit. The newest item always stays. `grownFrom`
 * is the array `items` was made from by adding items at its end (and replacing others with ones
 * of the same text): its text is known, so only what was added and what is dropped is counted.
 */
export function bounded(items: ChatItem[], keep: number, grownFrom?: readonly ChatItem[]): ChatItem[] {
  let chars =
    grownFrom === undefined ? textIn(items) : textHeldBy(grownFrom) + textIn(items, grownFrom.length);
  let start = items.length > keep ? items.length - keptAfterDrop(keep) : 0;
  for (let i = 0; i < start; i++) chars -= textOf(items[i] as ChatItem);
  while (chars > TEXT_KEPT && start < items.length - 1) {
    chars -= textOf(items[start] as ChatItem);
    start += 1;
  }
  const kept = start > 0 ? items.slice(start) : items;
  textHeld.set(kept, chars);
  return kept;
}

function withReceipt(receipts: Receipt[], receipt: Receipt): Receipt[] {
  const others = receipts.filter((r) => r.platform !== receipt.platform);
  return [...others, receipt].sort((a, b) => a.platform.localeCompare(b.platform));
}

/**
 * Adds comments in arrival order, skipping ids already shown. A non-empty `backfill` after
 * earlier messages gets a marker first. `keep` bounds the list (drop from the oldest).
 */
export function addComments(
  log: ChatLog,
  comments: Comment[],
  backfill: boolean,
  keep = SCROLLBACK,
): ChatLog {
  const fresh = freshIn(log.seen, comments);
  if (fresh.length === 0) return log;
  const items = log.items.slice();
  let added = log.added;
  if (backfill && items.length > 0) {
    added += 1;
    items.push({ kind: "backfill", key: `backfill-${added}`, count: fresh.length });
  }
  for (const comment of fresh) {
    if (comment.own) {
      const at = sentItemFor(items, comment);
      const target = at >= 0 ? items[at] : undefined;
      if (target?.kind === "sent") {
        items[at] = {
          ...target,
          receipts: withReceipt(target.receipts, { platform: comment.platform, state: "delivered" }),
          echoed: [...target.echoed, comment.platform],
        };
        continue;
      }
      // An echo of a message sent before this window opened (or replayed after a restart).
      added += 1;
      items.push({
        kind: "sent",
        key: `echo-${comment.id}`,
        message: comment.message,
        at: comment.timestamp,
        receipts: [{ platform: comment.platform, state: "delivered" }],
        echoed: [comment.platform],
      });
      continue;
    }
    added += 1;
    items.push({ kind: "comment", key: comment.id, comment });
  }
  return {
    ...log,
    seen: remembering(
      log.seen,
      fresh.map((comment) => comment.id),
    ),
    items: bounded(items, keep, log.items),
    added,
    taken: log.taken + fresh.length,
  };
}

/**
 * Marks `count` messages too large to show where they came. A run of them shares one marker, so
 * a stream of nothing else cannot grow the list.
 */
export function addSkipped(log: ChatLog, count: number, keep = SCROLLBACK): ChatLog {
  if (count <= 0) return log;
  const last = log.items.at(-1);
  if (last?.kind === "skipped") {
    return { ...log, items: [...log.items.slice(0, -1), { ...last, count: last.count + count }] };
  }
  const added = log.added + 1;
  const items = [...log.items, { kind: "skipped" as const, key: `skipped-${added}`, count }];
  return { ...log, items: bounded(items, keep, log.items), added };
}

/** Shows a message being sent to `targets`, before the service answers. */
export function startSend(
  log: ChatLog,
  key: string,
  message: string,
  targets: Platform[],
  at: number,
  keep = SCROLLBACK,
): ChatLog {
  const receipts = targets.map((platform) => ({ platform, state: "sending" as const }));
  return {
    ...log,
    items: bounded([...log.items, { kind: "sent", key, message, at, receipts, echoed: [] }], keep, log.items),
    added: log.added + 1,
  };
}

/** The service's per-platform answer to a send. An echo may already have said "delivered". */
export function finishSend(log: ChatLog, key: string, results: SendResult[]): ChatLog {
  return {
    ...log,
    items: log.items.map((item) => {
      if (item.kind !== "sent" || item.key !== key) return item;
      let receipts = item.receipts;
      for (const result of results) {
        receipts = withReceipt(
          receipts,
          result.ok
            ? { platform: result.platform, state: "delivered" }
            : { platform: result.platform, state: "failed", error: result.error ?? "refused" },
        );
      }
      return { ...item, receipts };
    }),
  };
}

/** A send that never reached the service: the item goes (the text stays in the input). */
export function dropSend(log: ChatLog, key: string): ChatLog {
  return { ...log, items: log.items.filter((item) => item.key !== key) };
}

/** Whether `item` shows under a platform filter (`null`: every platform). */
export function shownUnder(item: ChatItem, filter: Platform | null): boolean {
  if (filter === null) return true;
  switch (item.kind) {
    case "comment":
      return item.comment.platform === filter;
    case "sent":
      return item.receipts.some((r) => r.platform === filter);
    case "moderated":
      return item.platform === filter;
    case "backfill":
    case "skipped":
      return true;
  }
}
