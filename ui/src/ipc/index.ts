// The only module that talks to Tauri. Everything else imports from here, so UI tests can
// replace this one module with a fake.

import type {
  AppError,
  AuthStatus,
  BannerEdit,
  BrandView,
  BrowserPage,
  BrowserWait,
  ChatStatus,
  Comment,
  CommentsDelivery,
  CommentsReceived,
  Concern,
  Connection,
  ConnectOutcome,
  DeepLinkReceived,
  GoLiveParams,
  ImagePurpose,
  Job,
  ModeratedBy,
  ModerationAction,
  ModerationEvent,
  ModerationRequest,
  ModerationResult,
  ObsHealthView,
  ObsLinkSettings,
  ObsLinkView,
  ObsNews,
  ObsView,
  Overlay,
  OverlaySettings,
  OverlayTheme,
  OverlayView,
  Platform,
  PlatformInfo,
  Preferences,
  PreferencesView,
  SecretStorage,
  SendResult,
  ServiceStatus,
  SettingsCheck,
  SettingsDraft,
  SettingsView,
  SetupPreview,
  SignInRoute,
  StreamTarget,
  StudioAction,
  StudioSnapshot,
  Viewers,
} from "../bindings";
import { commands, events } from "../bindings";

export {
  DEEP_LINKS_KEPT,
  GO_LIVE_KEYS,
  MAX_CHAT_CHARS,
  MAX_HOLD_SECONDS,
  MAX_OBS_PASSWORD_CHARS,
  MAX_OVERLAY_LINES,
  MAX_TIMEOUT_SECONDS,
  STOP_KEYS,
} from "../bindings";

export type {
  AppError,
  AuthStatus,
  BannerEdit,
  BrandView,
  BrowserPage,
  BrowserWait,
  ChatStatus,
  Comment,
  CommentsDelivery,
  CommentsReceived,
  Concern,
  Connection,
  ConnectOutcome,
  DeepLinkReceived,
  GoLiveParams,
  ImagePurpose,
  Job,
  ModeratedBy,
  ModerationAction,
  ModerationEvent,
  ModerationRequest,
  ModerationResult,
  ObsHealthView,
  ObsLinkSettings,
  ObsLinkView,
  ObsNews,
  ObsView,
  Overlay,
  OverlaySettings,
  OverlayTheme,
  OverlayView,
  Platform,
  PlatformInfo,
  Preferences,
  PreferencesView,
  SecretStorage,
  SendResult,
  ServiceStatus,
  SettingsCheck,
  SettingsDraft,
  SettingsView,
  SetupPreview,
  SignInRoute,
  StreamTarget,
  StudioAction,
  StudioSnapshot,
  Viewers,
};

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };
export type Unsubscribe = () => void;

/** Turns a framework-level failure (unknown command, denied by capability) into an AppError. */
function bridgeError(reason: unknown): AppError {
  const message = reason instanceof Error ? reason.message : String(reason);
  return {
    code: "bridge",
    status: 0,
    message,
    cause: "The studio's window could not reach its own backend.",
    fix: "Restart Restream Studio. If it happens again, report it with this message.",
    concern: null,
  };
}

/** How soon the window asks again for a chat feed the studio could not open. */
const FEED_UNAVAILABLE_RETRY_MS = 5_000;
/** How soon the window opens its chat feed again after it was refused (as the feed's own `retry`). */
const FEED_REOPEN_MS = 1_000;

async function settle<T>(
  call: () => Promise<{ status: "ok"; data: T } | { status: "error"; error: AppError }>,
): Promise<Result<T>> {
  try {
    const result = await call();
    return result.status === "ok" ? { ok: true, data: result.data } : { ok: false, error: result.error };
  } catch (reason) {
    return { ok: false, error: bridgeError(reason) };
  }
}

/** Subscribes and returns a synchronous unsubscribe that also works before `listen` resolves. */
function subscribe<T>(
  listen: (cb: (event: { payload: T }) => void) => Promise<() => void>,
  handler: (payload: T) => void,
): Unsubscribe {
  let active = true;
  let unlisten: (() => void) | undefined;
  listen((event) => {
    if (active) handler(event.payload);
  })
    .then((fn) => {
      if (active) unlisten = fn;
      else fn();
    })
    .catch((reason) => console.error("event subscription failed", reason));
  return () => {
    active = false;
    unlisten?.();
  };
}

export const ipc = {
  brand: (): Promise<BrandView> => commands.brand(),
  diagnostics: (): Promise<string> => commands.diagnostics(),
  serviceStatus: (): Promise<ServiceStatus> => commands.serviceStatus(),
  platforms: (): Promise<Result<PlatformInfo[]>> => settle(() => commands.platforms()),
  recentDeepLinks: (): Promise<DeepLinkReceived[]> => commands.recentDeepLinks(),
  onServiceStatusChanged: (handler: (status: ServiceStatus) => void): Unsubscribe =>
    subscribe(events.serviceStatusChanged.listen, handler),
  onDeepLinkReceived: (handler: (link: DeepLinkReceived) => void): Unsubscribe =>
    subscribe(events.deepLinkReceived.listen, handler),
  studioSnapshot: (): Promise<Result<StudioSnapshot>> => settle(() => commands.studioSnapshot()),
  connectPlatform: (platform: Platform): Promise<Result<ConnectOutcome>> =>
    settle(() => commands.connectPlatform(platform)),
  disconnectPlatform: (platform: Platform): Promise<Result<null>> =>
    settle(() => commands.disconnectPlatform(platform)),
  cancelBrowserWait: (page: BrowserPage): Promise<Result<null>> =>
    settle(() => commands.cancelBrowserWait(page)),
  reopenBrowserPage: (page: BrowserPage): Promise<Result<null>> =>
    settle(() => commands.reopenBrowserPage(page)),
  onBrowserWaitsChanged: (handler: (waits: BrowserWait[]) => void): Unsubscribe =>
    subscribe(events.browserWaitsChanged.listen, handler),
  armDestinations: (destinations: Platform[]): Promise<Result<null>> =>
    settle(() => commands.armDestinations(destinations)),
  goLive: (params: GoLiveParams): Promise<Result<Job>> => settle(() => commands.goLive(params)),
  stopLive: (): Promise<Result<Job>> => settle(() => commands.stopLive()),
  retryDestination: (platform: Platform): Promise<Result<Job>> =>
    settle(() => commands.retryDestination(platform)),
  retryChat: (): Promise<Result<null>> => settle(() => commands.retryChat()),
  openWatchPage: (platform: Platform): Promise<Result<null>> =>
    settle(() => commands.openWatchPage(platform)),
  resolveClose: (choice: "keepStreaming" | "stopAndQuit" | "cancel"): Promise<Result<null>> =>
    settle(() => commands.resolveClose(choice)),
  onCloseRequestedWhileLive: (handler: () => void): Unsubscribe =>
    subscribe(events.closeRequestedWhileLive.listen, () => handler()),
  secretStorage: (): Promise<SecretStorage | null> => commands.secretStorage(),
  settingsView: (): Promise<Result<SettingsView>> => settle(() => commands.settingsView()),
  checkSettings: (draft: SettingsDraft): Promise<SettingsCheck> => commands.checkSettings(draft),
  saveSettings: (draft: SettingsDraft): Promise<Result<null>> => settle(() => commands.saveSettings(draft)),
  obsView: (): Promise<ObsView> => commands.obsView(),
  /** `password`: `null` keeps the saved one, `""` removes it. */
  saveObsSettings: (settings: ObsLinkSettings, password: string | null): Promise<Result<ObsView>> =>
    settle(() => commands.saveObsSettings(settings, password)),
  obsSetupPreview: (): Promise<Result<SetupPreview>> => settle(() => commands.obsSetupPreview()),
  obsSetupApply: (): Promise<Result<null>> => settle(() => commands.obsSetupApply()),
  obsStartAndGoLive: (): Promise<Result<null>> => settle(() => commands.obsStartAndGoLive()),
  onObsChanged: (handler: (view: ObsView) => void): Unsubscribe =>
    subscribe(events.obsChanged.listen, handler),
  overlayView: (): Promise<OverlayView> => commands.overlayView(),
  /** Saved whole, checked first: a refused save changes nothing. */
  saveOverlaySettings: (settings: OverlaySettings): Promise<Result<OverlayView>> =>
    settle(() => commands.saveOverlaySettings(settings)),
  /** The page's full address, its secret included: asked for when it is copied or previewed, never kept. */
  overlayAddress: (): Promise<Result<string>> => settle(() => commands.overlayAddress()),
  rotateOverlayAddress: (): Promise<Result<OverlayView>> => settle(() => commands.rotateOverlayAddress()),
  /** Takes one message off the overlay only; the platforms keep it. */
  hideFromOverlay: (commentId: string): Promise<Result<null>> =>
    settle(() => commands.hideFromOverlay(commentId)),
  onOverlayChanged: (handler: (view: OverlayView) => void): Unsubscribe =>
    subscribe(events.overlayChanged.listen, handler),
  /** What was done comes back through the chat, in order; only that changes the window. */
  moderateChat: (request: ModerationRequest): Promise<Result<ModerationResult>> =>
    settle(() => commands.moderateChat(request)),
  onGoLivePrefilled: (handler: (sessionId: string) => void): Unsubscribe =>
    subscribe(events.goLivePrefilled.listen, (payload) => handler(payload.sessionId)),
  signIn: (route: SignInRoute): Promise<Result<null>> => settle(() => commands.signIn(route)),
  signOut: (): Promise<Result<null>> => settle(() => commands.signOut()),
  onConnectionsChanged: (handler: (list: Connection[]) => void): Unsubscribe =>
    subscribe(events.connectionsChanged.listen, handler),
  onJobChanged: (handler: (job: Job | null) => void): Unsubscribe =>
    subscribe(events.jobChanged.listen, handler),
  onViewersChanged: (handler: (viewers: Viewers | null) => void): Unsubscribe =>
    subscribe(events.viewersChanged.listen, handler),
  onStudioError: (handler: (error: AppError) => void): Unsubscribe =>
    subscribe(events.studioError.listen, handler),
  onStudioErrorCleared: (handler: (concern: Concern) => void): Unsubscribe =>
    subscribe(events.studioErrorCleared.listen, handler),
  onChatStatusChanged: (handler: (status: ChatStatus) => void): Unsubscribe =>
    subscribe(events.chatStatusChanged.listen, handler),
  onAuthChanged: (handler: (status: AuthStatus) => void): Unsubscribe =>
    subscribe(events.authChanged.listen, handler),
  onJobSuperseded: (handler: (superseded: { jobId: string; by: string }) => void): Unsubscribe =>
    subscribe(events.jobSuperseded.listen, handler),
  /**
   * Follows new chat from `cursor` (the snapshot's `commentsCursor`) on the studio's chat feed, an
   * EventSource on loopback (chat_feed.rs), and hands over each batch. Not Tauri events: an event
   * reaches the page as script source, which WebKit keeps. `onMissed` runs when the window fell so
   * far behind that batches were dropped (re-read the snapshot); `onUnavailable` when the feed
   * cannot be opened, and with `null` once it is.
   */
  followComments: (
    cursor: number,
    handler: (batch: CommentsReceived) => void,
    onMissed: () => void,
    onUnavailable: (problem: AppError | null) => void,
  ): Unsubscribe => {
    let active = true;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let at = cursor;
    const open = async () => {
      const address = await settle(() => commands.chatFeed());
      if (!active) return;
      if (!address.ok) {
        onUnavailable(address.error);
        retry = setTimeout(open, FEED_UNAVAILABLE_RETRY_MS);
        return;
      }
      onUnavailable(null);
      const feed = new EventSource(`${address.data}?cursor=${at}`);
      source = feed;
      feed.onmessage = (message: MessageEvent<string>) => {
        const delivery = JSON.parse(message.data) as CommentsDelivery;
        // An answer that starts past `at` means one in between went elsewhere (see chat_inbox.rs).
        if (delivery.missed || delivery.from > at) onMissed();
        for (const batch of delivery.batches) handler(batch);
        at = Math.max(at, delivery.cursor);
      };
      feed.onerror = () => {
        // A dropped connection is retried by the EventSource itself, from the last answer's id;
        // a refused one closes it for good: ask for the address again.
        if (feed.readyState !== EventSource.CLOSED) return;
        source = null;
        retry = setTimeout(open, FEED_REOPEN_MS);
      };
    };
    void open();
    return () => {
      active = false;
      clearTimeout(retry);
      source?.close();
    };
  },
  /** `sendId` is unique to this send: Rust handles an id once (see `SentIds` in live_commands.rs). */
  sendChat: (message: string, platforms: Platform[] | null, sendId: string): Promise<Result<SendResult[]>> =>
    settle(() => commands.sendChat(message, platforms, sendId)),
  editBanners: (edit: BannerEdit): Promise<Result<Job>> => settle(() => commands.editBanners(edit)),
  fetchImage: (url: string, purpose: ImagePurpose): Promise<Result<string>> =>
    settle(() => commands.fetchImage(url, purpose)),
  openHtmlBanner: (): Promise<Result<null>> => settle(() => commands.openHtmlBanner()),
  preferences: (): Promise<PreferencesView> => commands.preferences(),
  savePreferences: (preferences: Preferences): Promise<Result<PreferencesView>> =>
    settle(() => commands.savePreferences(preferences)),
  /** Snaps the window to its compact size or back; resolves to whether it is compact now. */
  toggleCompact: (): Promise<Result<boolean>> => settle(() => commands.toggleCompact()),
  /** Tells the studio whether the window is on screen: viewer counts are asked for less often while not. */
  windowSeen: (seen: boolean): Promise<void> =>
    // Only a poll's pace rests on it: a lost call is logged, not shown.
    commands.windowSeen(seen).catch((e) => console.error("window seen", e)),
  /** A global shortcut or the tray asks the window to act as its own shortcut would. */
  onStudioActionRequested: (handler: (action: StudioAction) => void): Unsubscribe =>
    subscribe(events.studioActionRequested.listen, handler),
};

export type Ipc = typeof ipc;
