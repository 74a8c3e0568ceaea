import { useEffect, useState } from "react";
import { ipc, type ObsView } from "../ipc";

/** What Rust says of OBS: read once, then followed as it changes. `null` until Rust answered. */
export function useObs(): ObsView | null {
  const [view, setView] = useState<ObsView | null>(null);
  useEffect(() => {
    let current = true;
    const stop = ipc.onObsChanged((next) => {
      current = false; // an event is newer than any answer still on its way
      setView(next);
    });
    ipc.obsView().then((first) => {
      if (current) setView(first);
    });
    return stop;
  }, []);
  return view;
}
