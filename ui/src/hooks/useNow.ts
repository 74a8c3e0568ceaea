import { useEffect, useState } from "react";

/** Whether the window is on screen: WebKit says hidden when it is hidden to the tray or minimized. */
function onScreen(): boolean {
  return document.visibilityState !== "hidden";
}

/**
 * The time, read again every `everyMs` while `running` and the window is on screen. A clock that
 * nobody sees costs a redraw a second for nothing, so the timer stops while the window is hidden
 * or minimized, and the time is read at once when it shows again, so no stale figure is seen.
 */
export function useNow(everyMs: number, running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  const [visible, setVisible] = useState(onScreen);
  useEffect(() => {
    const changed = () => setVisible(onScreen());
    document.addEventListener("visibilitychange", changed);
    return () => document.removeEventListener("visibilitychange", changed);
  }, []);
  useEffect(() => {
    if (!running || !visible) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, running, visible]);
  return now;
}
