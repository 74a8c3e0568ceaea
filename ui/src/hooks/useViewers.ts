import { useSyncExternalStore } from "react";
import type { Viewers } from "../ipc";
import type { StudioStore } from "./studioStore";

/** The seed's `useViewers`: the viewer counts of the studio `useRestream` holds. */
export function useViewers(studio: StudioStore): { viewers: Viewers | null } {
  const viewers = useSyncExternalStore(studio.subscribe, () => studio.getSnapshot().viewers);
  return { viewers };
}
