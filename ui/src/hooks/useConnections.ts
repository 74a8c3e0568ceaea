import { useSyncExternalStore } from "react";
import type { Connection, Platform } from "../ipc";
import type { StudioStore } from "./studioStore";

export interface ConnectionsState {
  /** The linked accounts, as Rust last reported them. */
  connections: Connection[];
  /** Links `platform` through its hosted page in the system browser; `useRestream` shows how it went. */
  connect: (platform: Platform) => Promise<void>;
  /** Unlinks `platform`. */
  disconnect: (platform: Platform) => Promise<void>;
}

/** The seed's `useConnections`: the linked accounts of the studio `useRestream` holds. */
export function useConnections(studio: StudioStore): ConnectionsState {
  const connections = useSyncExternalStore(studio.subscribe, () => studio.getSnapshot().connections);
  return { connections, connect: studio.connectPlatform, disconnect: studio.disconnect };
}
