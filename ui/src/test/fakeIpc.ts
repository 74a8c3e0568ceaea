// A stand-in for src/ipc: commands answer from fields a test sets, and events are fired by hand.
import type { AppError, DeepLinkReceived, Ipc, PlatformInfo, Result, ServiceStatus } from "../ipc";

type Handler<T> = (payload: T) => void;

export function createFakeIpc() {
  const statusHandlers = new Set<Handler<ServiceStatus>>();
  const linkHandlers = new Set<Handler<DeepLinkReceived>>();
  const state = {
    status: { state: "starting", mode: "demo" } as ServiceStatus,
    platforms: { ok: true, data: [] } as Result<PlatformInfo[]>,
    links: [] as DeepLinkReceived[],
    platformCalls: 0,
  };
  const ipc: Ipc = {
    serviceStatus: async () => state.status,
    platforms: async () => {
      state.platformCalls += 1;
      return state.platforms;
    },
    recentDeepLinks: async () => state.links,
    onServiceStatusChanged: (handler) => {
      statusHandlers.add(handler);
      return () => statusHandlers.delete(handler);
    },
    onDeepLinkReceived: (handler) => {
      linkHandlers.add(handler);
      return () => linkHandlers.delete(handler);
    },
  };
  return {
    ipc,
    state,
    emitStatus(status: ServiceStatus) {
      state.status = status;
      for (const handler of statusHandlers) handler(status);
    },
    emitLink(link: DeepLinkReceived) {
      for (const handler of linkHandlers) handler(link);
    },
    listenerCount: () => statusHandlers.size + linkHandlers.size,
  };
}

export const PLATFORMS: PlatformInfo[] = [
  { platform: "twitch", enabled: true, displayName: "Twitch" },
  { platform: "kick", enabled: true, displayName: "Kick" },
  { platform: "youtube", enabled: false, displayName: "YouTube" },
];

export const NETWORK_ERROR: AppError = {
  code: "network",
  status: 0,
  message: "Could not connect: Connection refused",
  cause: "Can't reach the Restream Service.",
  fix: "Check the API base in settings and your internet connection, then try again.",
};
