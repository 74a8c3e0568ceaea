import {
  type AppError,
  type Connection,
  type GoLiveParams,
  ipc,
  type Job,
  type Platform,
  type Viewers,
} from "../ipc";

/** Streamer-facing name of each connect outcome. */
export type ConnectState =
  | { state: "idle" }
  | { state: "pending"; platform: Platform }
  | { state: "done"; platform: Platform; outcome: string };

/** The studio's state as the window holds it (Rust owns it; the window follows). */
export interface StudioData {
  connections: Connection[];
  job: Job | null;
  viewers: Viewers | null;
  error: AppError | null;
  superseded: string | null;
  /** The last connect, its outcome in the service's word. */
  connect: ConnectState;
  busy: boolean;
  /** Destinations armed for go-live. */
  armed: Platform[];
  /** The service's clock minus this computer's, for elapsed times. */
  clockOffsetMs: number;
}

/**
 * The seed's `studio` controller: the one holder of the studio's state in the window, and its
 * actions. `useRestream` reads all of it; `useConnections` and `useViewers` read a part.
 */
export interface StudioStore {
  getSnapshot: () => StudioData;
  subscribe: (listener: () => void) => () => void;
  /** Follows Rust's studio (its snapshot, then its events) until the answered function is called. */
  follow: () => () => void;
  connectPlatform: (platform: Platform) => Promise<void>;
  disconnect: (platform: Platform) => Promise<void>;
  goLive: (params: GoLiveParams) => Promise<boolean>;
  stopLive: () => Promise<void>;
  retry: (platform: Platform) => Promise<void>;
}

const EMPTY: StudioData = {
  connections: [],
  job: null,
  viewers: null,
  error: null,
  superseded: null,
  connect: { state: "idle" },
  busy: false,
  armed: [],
  clockOffsetMs: 0,
};

export function createStudioStore(): StudioStore {
  let data = EMPTY;
  const listeners = new Set<() => void>();
  const set = (change: Partial<StudioData>) => {
    data = { ...data, ...change };
    for (const listener of listeners) listener();
  };

  return {
    getSnapshot: () => data,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow: () => {
      let following = true;
      const offs = [
        ipc.onConnectionsChanged((connections) => set({ connections })),
        ipc.onJobChanged((job) => set({ job })),
        ipc.onViewersChanged((viewers) => set({ viewers })),
        ipc.onStudioError((error) => set({ error })),
        ipc.onJobSuperseded(({ by }) => set({ superseded: by })),
      ];
      ipc.studioSnapshot().then((result) => {
        if (!following || !result.ok) return;
        set({
          connections: result.data.connections,
          job: result.data.job,
          viewers: result.data.viewers,
          clockOffsetMs: result.data.serverClockOffsetMs,
          armed: result.data.armed,
        });
      });
      return () => {
        following = false;
        for (const off of offs) off();
      };
    },
    connectPlatform: async (platform) => {
      set({ connect: { state: "pending", platform } });
      const result = await ipc.connectPlatform(platform);
      if (result.ok) set({ connect: { state: "done", platform, outcome: result.data.outcome } });
      else set({ connect: { state: "idle" }, error: result.error });
    },
    disconnect: async (platform) => {
      const result = await ipc.disconnectPlatform(platform);
      if (!result.ok) set({ error: result.error });
    },
    goLive: async (params) => {
      set({ busy: true, superseded: null });
      const result = await ipc.goLive(params);
      if (result.ok) {
        set({ busy: false, error: null, job: result.data });
        return true;
      }
      set({ busy: false, error: result.error });
      return false;
    },
    stopLive: async () => {
      set({ busy: true });
      const result = await ipc.stopLive();
      if (result.ok) set({ busy: false, job: result.data });
      else set({ busy: false, error: result.error });
    },
    retry: async (platform) => {
      const result = await ipc.retryDestination(platform);
      if (result.ok) set({ job: result.data });
      else set({ error: result.error });
    },
  };
}
