import { useEffect, useState } from "react";

/** Whether the window is on screen: WebKit says hidden when it is hidden to the tray or minimized. */
function onScreen(): boolean {
  return document.visibilityState !== "hidden";
}

/** Whether the window is on screen, kept up to date from the document's visibility. */
export function useOnScreen(): boolean {
  const [visible, setVisible] = useState(onScreen);
  useEffect(() => {
    const changed = () => setVisible(onScreen());
    document.addEventListener("visibilitychange", changed);
    return () => document.removeEventListener("visibilitychange", changed);
  }, []);
  return visible;
}

/** Milliseconds from `now` to the next instant `alignMs + k × everyMs` after it. */
export function untilNextTick(now: number, everyMs: number, alignMs: number): number {
  const into = (((now - alignMs) % everyMs) + everyMs) % everyMs;
  return everyMs - into;
}

/**
 * The time, read again at every instant `alignMs + k × everyMs` while `running` and the window is
 * on screen. Aligning to what is shown (a minute clock to the stream's start) redraws only when the
 * text changes. A clock that nobody sees costs a redraw for nothing, so the timer stops while the
 * window is hidden or minimized, and the time is read at once when it shows again, so no stale
 * figure is seen. Each tick is scheduled from the time read, so a late timer never drifts.
 */
export function useNow(everyMs: number, running: boolean, alignMs = 0): number {
  const [now, setNow] = useState(() => Date.now());
  const visible = useOnScreen();
  useEffect(() => {
    if (!running || !visible) return;
    setNow(Date.now());
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      timer = setTimeout(
        () => {
          setNow(Date.now());
          schedule();
        },
        untilNextTick(Date.now(), everyMs, alignMs),
      );
    };
    schedule();
    return () => clearTimeout(timer);
  }, [everyMs, running, visible, alignMs]);
  return now;
}

/**
 * Whether the time `atMs` (on this machine's clock) has come: false until then, with one timer
 * set for that instant, and never a tick before it. `null` is never.
 */
export function useReached(atMs: number | null): boolean {
  const [, redraw] = useState(0);
  const reached = atMs !== null && Date.now() >= atMs;
  useEffect(() => {
    if (atMs === null || reached) return;
    let timer: ReturnType<typeof setTimeout>;
    // A timer may fire a little early on the wall clock: then it waits the rest.
    const wait = () => {
      const left = atMs - Date.now();
      if (left <= 0) redraw((n) => n + 1);
      else timer = setTimeout(wait, left);
    };
    wait();
    return () => clearTimeout(timer);
  }, [atMs, reached]);
  return reached;
}
