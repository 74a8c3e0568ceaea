import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { type MessageKey, useT } from "../i18n";
import type { ServiceStatus } from "../ipc";
import { createStudioStore, type StudioData, type StudioStore } from "./studioStore";

export interface RestreamState
  extends StudioData,
    Pick<
      StudioStore,
      | "connectPlatform"
      | "disconnect"
      | "cancelBrowserWait"
      | "reopenBrowserPage"
      | "goLive"
      | "stopLive"
      | "retry"
    > {
  /** The store this reads, for `useConnections` and `useViewers`. */
  studio: StudioStore;
}

const OUTCOME_TEXT: Record<string, MessageKey> = {
  connected: "connections.outcome.connected",
  denied: "connections.outcome.denied",
  expired: "connections.outcome.expired",
  cancelled: "connections.outcome.cancelled",
  timedOut: "connections.outcome.timedOut",
  failed: "connections.outcome.failed",
};

/** The seed's `useRestream`: the studio's state (owned by Rust) and its actions. */
export function useRestream(status: ServiceStatus | null): RestreamState {
  const t = useT();
  const [studio] = useState(createStudioStore);
  const data = useSyncExternalStore(studio.subscribe, studio.getSnapshot);
  const up = status?.state === "up";

  useEffect(() => (up ? studio.follow() : undefined), [studio, up]);

  // The outcome is kept as the service's word and put in the streamer's language when shown, so a
  // change of language reaches it too.
  const connect = useMemo(() => {
    if (data.connect.state !== "done") return data.connect;
    const key = OUTCOME_TEXT[data.connect.outcome];
    return { ...data.connect, outcome: key ? t(key) : data.connect.outcome };
  }, [data.connect, t]);

  return {
    ...data,
    connect,
    connectPlatform: studio.connectPlatform,
    disconnect: studio.disconnect,
    cancelBrowserWait: studio.cancelBrowserWait,
    reopenBrowserPage: studio.reopenBrowserPage,
    goLive: studio.goLive,
    stopLive: studio.stopLive,
    retry: studio.retry,
    studio,
  };
}
