import {
  type AppError,
  type BrowserPage,
  type BrowserWait,
  type Concern,
  type Connection,
  type GoLiveParams,
  ipc,
  type Job,
  type Platform,
  type Viewers,
} from "../ipc";

/** How the last connect ended, in the service's word. */
export type ConnectState = { state: "idle" } | { state: "done"; platform: Platform; outcome: string };

/** The studio's state as the window holds it (Rust owns it; the window follows). */
export interface StudioData {
  connections: Connection[];
  job: Job | null;
  viewers: Viewers | null;
  /** Every error still true, oldest first: the studio's, one per concern, and the window's own. */
  errors: AppError[];
  /** The latest of them (the seed's `error`). */
  error: AppError | null;
  superseded: string | null;
  /** The last connect, its outcome in the service's word. */
  connect: ConnectState;
  /** Platforms whose connect this window asked for and that has not ended. */
  connecting: Platform[];
  /** The pages opened in the system browser that Rust waits on (connects and the sign-in). */
  browserWaits: BrowserWait[];
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
  /** Stops waiting on a page in the browser: its connect or sign-in ends as cancelled. */
  cancelBrowserWait: (page: BrowserPage) => Promise<void>;
  /** Opens a page waited on in the system browser again. */
  reopenBrowserPage: (page: BrowserPage) => Promise<void>;
  goLive: (params: GoLiveParams) => Promise<boolean>;
  stopLive: () => Promise<void>;
  retry: (platform: Platform) => Promise<void>;
}

const EMPTY: StudioData = {
  connections: [],
  job: null,
  viewers: null,
  errors: [],
  error: null,
  superseded: null,
  connect: { state: "idle" },
  connecting: [],
  browserWaits: [],
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
  // Errors by owner: the studio files each under its concern and says when it clears; an error the
  // window got without one (the studio was not ready, the bridge failed) is kept under the action's
  // concern until that action, or the concern, next succeeds.
  const errors = new Map<string, AppError>();
  const publishErrors = (change: Partial<StudioData> = {}) => {
    const list = [...errors.values()];
    set({ ...change, errors: list, error: list.at(-1) ?? null });
  };
  const raise = (error: AppError, actionConcern?: Concern) => {
    const key = error.concern ?? `window:${actionConcern ?? "service"}`;
    errors.delete(key);
    errors.set(key, error);
  };
  const clear = (concern: Concern) => {
    errors.delete(concern);
    errors.delete(`window:${concern}`);
  };
  /** After an action of `concern`: its failure filed, or its earlier window error dropped. */
  const settled = (concern: Concern, result: { ok: true } | { ok: false; error: AppError }, change = {}) => {
    if (result.ok) errors.delete(`window:${concern}`);
    else raise(result.error, concern);
    publishErrors(change);
  };

  return {
    getSnapshot: () => data,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow: () => {
      let following = true;
      // Concerns an event spoke of since following began: newer than the snapshot on its way.
      const heard = new Set<string>();
      let waitsHeard = false;
      const offs = [
        ipc.onConnectionsChanged((connections) => set({ connections })),
        ipc.onJobChanged((job) => set({ job })),
        ipc.onViewersChanged((viewers) => set({ viewers })),
        ipc.onStudioError((error) => {
          if (error.concern) heard.add(error.concern);
          raise(error);
          publishErrors();
        }),
        ipc.onStudioErrorCleared((concern) => {
          heard.add(concern);
          clear(concern);
          publishErrors();
        }),
        ipc.onJobSuperseded(({ by }) => set({ superseded: by })),
        ipc.onBrowserWaitsChanged((browserWaits) => {
          waitsHeard = true;
          set({ browserWaits });
        }),
      ];
      ipc.studioSnapshot().then((result) => {
        if (!following || !result.ok) return;
        // The studio's errors are what it holds now; the window's own stay.
        for (const key of [...errors.keys()]) {
          if (!key.startsWith("window:") && !heard.has(key)) errors.delete(key);
        }
        for (const error of result.data.errors) {
          if (!error.concern || !heard.has(error.concern)) raise(error);
        }
        publishErrors({
          connections: result.data.connections,
          job: result.data.job,
          viewers: result.data.viewers,
          clockOffsetMs: result.data.serverClockOffsetMs,
          armed: result.data.armed,
          // A change heard since is newer than the snapshot's list.
          ...(waitsHeard ? {} : { browserWaits: result.data.browserWaits }),
        });
      });
      return () => {
        following = false;
        for (const off of offs) off();
        // A studio no longer followed (the service restarts, say with new settings) clears none
        // of its errors: they go with it.
        for (const key of [...errors.keys()]) {
          if (!key.startsWith("window:")) errors.delete(key);
        }
        publishErrors({ browserWaits: [] });
      };
    },
    connectPlatform: async (platform) => {
      set({ connecting: [...data.connecting, platform] });
      const result = await ipc.connectPlatform(platform);
      // Each platform's connect ends on its own; another may still be waiting.
      const connecting = data.connecting.filter((p) => p !== platform);
      settled(
        "connections",
        result,
        result.ok
          ? { connecting, connect: { state: "done", platform, outcome: result.data.outcome } }
          : { connecting },
      );
    },
    cancelBrowserWait: async (page) => {
      settled(page.page === "signIn" ? "signIn" : "connections", await ipc.cancelBrowserWait(page));
    },
    reopenBrowserPage: async (page) => {
      settled(page.page === "signIn" ? "signIn" : "connections", await ipc.reopenBrowserPage(page));
    },
    disconnect: async (platform) => {
      settled("connections", await ipc.disconnectPlatform(platform));
    },
    goLive: async (params) => {
      set({ busy: true, superseded: null });
      const result = await ipc.goLive(params);
      settled("job", result, result.ok ? { busy: false, job: result.data } : { busy: false });
      return result.ok;
    },
    stopLive: async () => {
      set({ busy: true });
      const result = await ipc.stopLive();
      settled("job", result, result.ok ? { busy: false, job: result.data } : { busy: false });
    },
    retry: async (platform) => {
      const result = await ipc.retryDestination(platform);
      settled("job", result, result.ok ? { job: result.data } : {});
    },
  };
}
