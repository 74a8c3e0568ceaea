import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ChatItem } from "../../chat/chatLog";
import { useT } from "../../i18n";
import { ChatRow } from "./ChatRow";
import { type HoldStill, HoldStillContext } from "./holdStill";

/** How close to the bottom still counts as following the chat, in pixels. */
const AT_BOTTOM = 24;

/**
 * Forgets the measured heights of rows no longer in `items`. The virtualizer remembers a height
 * for every row it ever measured, by key, and forgets none: over hours of chat that is a height
 * per comment ever shown. Pruned once it holds twice what is shown, so it costs nothing per batch.
 */
export function forgetGoneRows<K>(measured: Map<K, number>, items: ChatItem[]): void {
  if (measured.size <= 2 * items.length) return;
  const shown = new Set<unknown>(items.map((item) => item.key));
  for (const key of measured.keys()) if (!shown.has(key)) measured.delete(key);
}

/** While the list follows the chat, the virtualizer moves no scroll position of its own. */
const neverWhileFollowing = () => false;

/**
 * Whether focus is in a dialog opened from a row (the author view, a ban's question: portalled
 * out of the list, their focus events still come through it). An open menu holds the list still
 * by itself (`HoldStillContext`).
 */
function inModeration(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(".dialog") !== null;
}

interface Props {
  items: ChatItem[];
  /** Counts items ever added (not just shown), so "N new" survives trimming. */
  added: number;
  /** Counts distinct comments ever taken in. */
  taken: number;
  /** Told when the streamer starts or stops reading older messages. */
  onReading: (reading: boolean) => void;
}

/**
 * The chat, virtualized: only the rows in view (and a few around) are in the DOM. It follows new
 * messages until the streamer scrolls up or points at it; then it holds still and counts what
 * arrived, with a marker to jump back.
 */
export function ChatList({ items, added, taken, onReading }: Props) {
  const t = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrolledUp, setScrolledUp] = useState(false);
  const [hovering, setHovering] = useState(false);
  // A dialog opened from a row holds the list still under the keyboard, as the pointer does.
  const [inMenu, setInMenu] = useState(false);
  // So does a row's open moderation menu, wherever focus is (`HoldStillContext`).
  const [menusOpen, setMenusOpen] = useState(0);
  const holdStill = useCallback<HoldStill>(() => {
    setMenusOpen((n) => n + 1);
    return () => setMenusOpen((n) => n - 1);
  }, []);
  const [addedWhenPaused, setAddedWhenPaused] = useState<number | null>(null);
  const paused = scrolledUp || hovering || inMenu || menusOpen > 0;

  // Scrolls the list makes itself (following) are not the streamer's.
  const ownScrollUntil = useRef(0);
  const toBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    ownScrollUntil.current = performance.now() + 300;
    el.scrollTop = el.scrollHeight;
  }, []);
  // Read by the virtualizer's change callback, which runs outside renders.
  const following = useRef(!paused);
  following.current = !paused;
  const followedSize = useRef(0);
  // While new rows are measured in their commit, the list follows once at the end, not per row.
  const measuringNewRows = useRef(false);

  // Its identity changes with the rows alone: the virtualizer lays out every row again (a
  // thousand, following a busy chat) whenever it changes, and the list renders again when it
  // scrolls to a new row, with the same rows.
  const getItemKey = useCallback((index: number) => items[index]?.key ?? index, [items]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 52,
    overscan: 8,
    getItemKey,
    // Before the first measurement (and in tests): a compact window's list.
    initialRect: { width: 360, height: 420 },
    // Rows measured or scrolled without the shown range changing are moved by the virtualizer
    // in the DOM, not by a render of the list: at 50 comments/s that was two or three renders
    // of the list per batch. It owns each slot's transform and the rows' height.
    directDomUpdates: true,
    // A row measured taller or shorter than its estimate changes the list's height without a
    // render: while following, the newest row stays in view all the same.
    onChange: (instance) => {
      const size = instance.getTotalSize();
      if (size === followedSize.current) return;
      followedSize.current = size;
      if (following.current && !measuringNewRows.current) toBottom();
    },
  });

  // Following, the list's end is kept in view by `toBottom` alone. The virtualizer corrects the
  // scroll position itself when a row above the view is measured anew, from the position it last
  // read, which may be from before the list last went to its end; a correction the list was too
  // short for is written again once it has grown. Written that late, it left the list a few
  // pixels short of its end, the newest message cut off, until the next one came. Reading, its
  // corrections keep the rows in view where they are.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = paused ? undefined : neverWhileFollowing;

  useEffect(() => forgetGoneRows(virtualizer.itemSizeCache, items), [virtualizer, items]);

  useEffect(() => {
    onReading(paused);
    setAddedWhenPaused((was) => (paused ? (was ?? added) : null));
  }, [paused, added, onReading]);

  // Following, new rows are measured in the commit that mounts them. The virtualizer does not
  // measure a row that mounts while the list is scrolling, and a list that follows scrolls with
  // every answer: each new row was measured only by the ResizeObserver after the frame's layout,
  // which moved the list again, so every answer was laid out and drawn in two frames (traced at
  // 50/s: two scroll events and two changed frames per answer). Heights are all read before any is
  // written, so the commit lays out once; a row with no height (the panel hidden) is left to the
  // observer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `items` is the trigger: rows mounted.
  useLayoutEffect(() => {
    if (!following.current) return;
    const heights: [index: number, height: number][] = [];
    for (const row of virtualizer.getVirtualItems()) {
      if (virtualizer.itemSizeCache.has(row.key)) continue;
      const element = virtualizer.elementsCache.get(row.key);
      if (element?.isConnected) {
        heights.push([row.index, Math.round(element.getBoundingClientRect().height)]);
      }
    }
    measuringNewRows.current = true;
    try {
      for (const [index, height] of heights) if (height > 0) virtualizer.resizeItem(index, height);
    } finally {
      measuringNewRows.current = false;
    }
  }, [virtualizer, items]);

  // Following: after every render that changes the rows, the newest row is in view (a row
  // measured without a render is followed by the change callback above).
  const totalSize = virtualizer.getTotalSize();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `items` and `totalSize` are triggers: new or re-measured rows.
  useLayoutEffect(() => {
    if (!paused) toBottom();
  }, [paused, toBottom, items, totalSize]);

  const unread = addedWhenPaused === null ? 0 : added - addedWhenPaused;
  return (
    <div className="chat-list-frame">
      <div
        ref={scroller}
        // While "N new messages" floats over its end, the list can scroll that much further, so
        // its last row (and a menu open on it) can be brought out from under the button.
        className={unread > 0 ? "chat-list chat-list-behind" : "chat-list"}
        data-testid="chat-list"
        data-comments-taken={taken}
        role="log"
        // New messages are announced by ChatAnnouncer, at a bounded rate.
        aria-live="off"
        aria-label={t("chat.heading")}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it.
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM;
          if (atBottom) setScrolledUp(false);
          else if (performance.now() > ownScrollUntil.current) setScrolledUp(true);
        }}
        onWheel={(e) => {
          if (e.deltaY < 0) setScrolledUp(true);
        }}
        onKeyDown={(e) => {
          if (["ArrowUp", "PageUp", "Home"].includes(e.key)) setScrolledUp(true);
        }}
        onMouseEnter={() => setHovering(true)}
        onMouseLeave={() => setHovering(false)}
        onFocus={(e) => setInMenu(inModeration(e.target))}
        onBlur={(e) => setInMenu(inModeration(e.relatedTarget))}
      >
        {items.length === 0 ? <p className="muted chat-empty">{t("chat.empty")}</p> : null}
        <HoldStillContext.Provider value={holdStill}>
          <div className="chat-rows" ref={virtualizer.containerRef}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = items[row.index];
              if (!item) return null;
              return (
                <div
                  key={row.key}
                  data-index={row.index}
                  ref={virtualizer.measureElement}
                  className="chat-slot"
                >
                  <ChatRow item={item} />
                </div>
              );
            })}
          </div>
        </HoldStillContext.Provider>
      </div>
      {unread > 0 ? (
        <button
          type="button"
          className="chat-new"
          data-testid="chat-new-messages"
          onClick={() => {
            setHovering(false);
            setScrolledUp(false);
            toBottom();
          }}
        >
          {t.plural("chat.newMessages", unread)} ↓
        </button>
      ) : null}
    </div>
  );
}
