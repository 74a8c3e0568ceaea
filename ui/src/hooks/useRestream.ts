import { useCallback, useEffect, useMemo, useState } from "react";
import { type MessageKey, useT } from "../i18n";
import {
  type AppError,
  type Connection,
  type GoLiveParams,
  ipc,
  type Job,
  type Platform,
  type ServiceStatus,
  type Viewers,
} from "../ipc";

/** Streamer-facing name of each connect outcome. */
export type ConnectState =
  | { state: "idle" }
  | { state: "pending"; platform: Platform }
  | { state: "done"; platform: Platform; outcome: string };

export interface RestreamState {
  connections: Connection[];
  job: Job | null;
  viewers: Viewers | null;
  error: AppError | null;
  superseded: string | null;
  connect: ConnectState;
  busy: boolean;
  /** Destinations armed for go-live. */
  armed: Platform[];
  /** The service's clock minus this computer's, for elapsed times. */
  clockOffsetMs: number;
  connectPlatform: (platform: Platform) => Promise<void>;
  disconnect: (platform: Platform) => Promise<void>;
  goLive: (params: GoLiveParams) => Promise<boolean>;
  stopLive: () => Promise<void>;
  retry: (platform: Platform) => Promise<void>;
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
  const [connections, setConnections] = useState<Connection[]>([]);
  const [job, setJob] = useState<Job | null>(null);
  const [viewers, setViewers] = useState<Viewers | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [superseded, setSuperseded] = useState<string | null>(null);
  // The outcome is kept as the service's word and put in the streamer's language when shown, so a
  // change of language reaches it too.
  const [connectState, setConnect] = useState<ConnectState>({ state: "idle" });
  const connect = useMemo<ConnectState>(() => {
    if (connectState.state !== "done") return connectState;
    const key = OUTCOME_TEXT[connectState.outcome];
    return { ...connectState, outcome: key ? t(key) : connectState.outcome };
  }, [connectState, t]);
  const [busy, setBusy] = useState(false);
  const [clockOffsetMs, setClockOffsetMs] = useState(0);
  const [armed, setArmed] = useState<Platform[]>([]);
  const up = status?.state === "up";

  useEffect(() => {
    if (!up) return;
    let mounted = true;
    const offs = [
      ipc.onConnectionsChanged(setConnections),
      ipc.onJobChanged(setJob),
      ipc.onViewersChanged(setViewers),
      ipc.onStudioError(setError),
      ipc.onJobSuperseded(({ by }) => setSuperseded(by)),
    ];
    ipc.studioSnapshot().then((result) => {
      if (!mounted || !result.ok) return;
      setConnections(result.data.connections);
      setJob(result.data.job);
      setViewers(result.data.viewers);
      setClockOffsetMs(result.data.serverClockOffsetMs);
      setArmed(result.data.armed);
    });
    return () => {
      mounted = false;
      for (const off of offs) off();
    };
  }, [up]);

  const connectPlatform = useCallback(async (platform: Platform) => {
    setConnect({ state: "pending", platform });
    const result = await ipc.connectPlatform(platform);
    if (result.ok) {
      setConnect({
        state: "done",
        platform,
        outcome: result.data.outcome,
      });
    } else {
      setConnect({ state: "idle" });
      setError(result.error);
    }
  }, []);

  const disconnect = useCallback(async (platform: Platform) => {
    const result = await ipc.disconnectPlatform(platform);
    if (!result.ok) setError(result.error);
  }, []);

  const goLive = useCallback(async (params: GoLiveParams) => {
    setBusy(true);
    setSuperseded(null);
    const result = await ipc.goLive(params);
    setBusy(false);
    if (result.ok) {
      setError(null);
      setJob(result.data);
      return true;
    }
    setError(result.error);
    return false;
  }, []);

  const stopLive = useCallback(async () => {
    setBusy(true);
    const result = await ipc.stopLive();
    setBusy(false);
    if (result.ok) setJob(result.data);
    else setError(result.error);
  }, []);

  const retry = useCallback(async (platform: Platform) => {
    const result = await ipc.retryDestination(platform);
    if (result.ok) setJob(result.data);
    else setError(result.error);
  }, []);

  return {
    connections,
    job,
    viewers,
    error,
    superseded,
    connect,
    busy,
    armed,
    clockOffsetMs,
    connectPlatform,
    disconnect,
    goLive,
    stopLive,
    retry,
  };
}
