import { useCallback, useEffect, useRef, useState } from "react";
import { ipc, type OverlayView } from "../ipc";

export interface OverlayState {
  /** `null` until Rust answered. */
  view: OverlayView | null;
  /** Takes a view a command answered with (a save, a new address), ahead of its event. */
  took: (view: OverlayView) => void;
}

/** What Rust says of the chat overlay: read once, then followed as it changes. */
export function useOverlay(): OverlayState {
  const [view, setView] = useState<OverlayView | null>(null);
  // An event or an answer is newer than the first read still on its way.
  const fresher = useRef(false);
  useEffect(() => {
    fresher.current = false;
    let mounted = true;
    const stop = ipc.onOverlayChanged((next) => {
      fresher.current = true;
      setView(next);
    });
    ipc.overlayView().then((first) => {
      if (mounted && !fresher.current) setView(first);
    });
    return () => {
      mounted = false;
      stop();
    };
  }, []);
  const took = useCallback((next: OverlayView) => {
    fresher.current = true;
    setView(next);
  }, []);
  return { view, took };
}
