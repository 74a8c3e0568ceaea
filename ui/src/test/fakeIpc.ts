// A stand-in for src/ipc: commands answer from fields a test sets, and events are fired by hand.
import type {
  AppError,
  AuthStatus,
  BannerEdit,
  BrandView,
  BrowserPage,
  BrowserWait,
  ChatStatus,
  Comment,
  CommentsReceived,
  Concern,
  Connection,
  ConnectOutcome,
  DeepLinkReceived,
  GoLiveParams,
  ImagePurpose,
  Ipc,
  Job,
  ModerationEvent,
  ModerationRequest,
  ModerationResult,
  ObsLinkSettings,
  ObsView,
  OverlaySettings,
  OverlayView,
  Platform,
  PlatformInfo,
  Preferences,
  Result,
  SecretStorage,
  SendResult,
  ServiceStatus,
  SettingsDraft,
  SetupPreview,
  SignInRoute,
  StudioAction,
  StudioSnapshot,
  Viewers,
} from "../ipc";

type Handler<T> = (payload: T) => void;

export function createFakeIpc() {
  const statusHandlers = new Set<Handler<ServiceStatus>>();
  const linkHandlers = new Set<Handler<DeepLinkReceived>>();
  const connectionHandlers = new Set<Handler<Connection[]>>();
  const jobHandlers = new Set<Handler<Job | null>>();
  const viewerHandlers = new Set<Handler<Viewers | null>>();
  const authHandlers = new Set<Handler<AuthStatus>>();
  const closeHandlers = new Set<() => void>();
  const prefillHandlers = new Set<(sessionId: string) => void>();
  const commentHandlers = new Set<Handler<CommentsReceived>>();
  const chatStatusHandlers = new Set<Handler<ChatStatus>>();
  const errorHandlers = new Set<Handler<AppError>>();
  const clearedHandlers = new Set<Handler<Concern>>();
  const actionHandlers = new Set<Handler<StudioAction>>();
  const waitHandlers = new Set<Handler<BrowserWait[]>>();
  const obsHandlers = new Set<Handler<ObsView>>();
  const overlayHandlers = new Set<Handler<OverlayView>>();
  const quiet = () => () => {};
  const state = {
    brand: {
      productName: "Restream Studio",
      accent: "#7c3aed",
      platforms: ["twitch", "kick", "youtube", "facebook", "instagram"],
      demoOffered: true,
      allowPublishableKey: true,
      locked: { apiBase: false, credentialMode: false, operator: false },
    } as BrandView,
    status: { state: "starting", mode: "demo" } as ServiceStatus,
    platforms: { ok: true, data: [] } as Result<PlatformInfo[]>,
    links: [] as DeepLinkReceived[],
    platformCalls: 0,
    statusCalls: 0,
    snapshot: {
      connections: [],
      job: null,
      viewers: null,
      comments: [],
      errors: [],
      chat: { state: "stopped", reason: "no live job" },
      auth: { state: "notRequired" },
      armed: [],
      browserWaits: [],
      serverClockOffsetMs: 0,
      commentsCursor: 0,
    } as StudioSnapshot,
    goLiveCalls: [] as GoLiveParams[],
    /** Answers for the next connects, in order (a pending promise keeps one waiting). */
    connectAnswers: [] as Array<Result<ConnectOutcome> | Promise<Result<ConnectOutcome>>>,
    /** What the window asked of the pages waiting in the browser, in order. */
    browserWaitCalls: [] as Array<{ call: "cancel" | "reopen"; page: BrowserPage }>,
    goLiveResult: null as Result<Job> | null,
    stopResult: { ok: false, error: NETWORK_ERROR } as Result<Job>,
    /** Where the settings form is told a saved key is kept. */
    settingsSecrets: { state: "keychain" } as SecretStorage,
    /** How many times the window asked to retry chat now. */
    chatRetries: 0,
    closeChoices: [] as string[],
    storage: null as SecretStorage | null,
    saved: [] as SettingsDraft[],
    diagnostics: "Restream Studio 0.1.0\nService: Demo, up at http://127.0.0.1:4000",
    /** What the settings form opens with (the saved settings, or the brand's defaults). */
    settingsDraft: {
      mode: "demo",
      apiBase: "",
      userId: "",
      origin: "",
      publishableKey: "",
      operatorClientId: "",
      operatorUrl: "",
    } as SettingsDraft,
    /** When set, reading the saved settings waits for it, and fails if it gives an error. */
    settingsRead: null as Promise<AppError | null> | null,
    signInRoutes: [] as SignInRoute[],
    sent: [] as Array<{ message: string; platforms: Platform[] | null }>,
    sendIds: [] as string[],
    sendAnswers: [] as Array<Result<SendResult[]> | Promise<Result<SendResult[]>>>,
    bannerEdits: [] as BannerEdit[],
    bannerAnswer: null as Result<Job> | null,
    imageAsks: [] as Array<{ url: string; purpose: ImagePurpose }>,
    preferences: {
      theme: "system",
      language: "en",
      alwaysOnTop: false,
      notifications: { destinationFailed: true, jobEnded: true, signInRequired: true },
      globalShortcuts: false,
    } as Preferences,
    savedPreferences: [] as Preferences[],
    shortcutsTaken: [] as string[],
    compactToggles: 0,
    /** What the window said of being on screen, in order. */
    windowSeen: [] as boolean[],
    /** Answers for the next sign-ins, in order (a pending promise keeps one waiting). */
    signInAnswers: [] as Array<Result<null> | Promise<Result<null>>>,
    obs: OBS_OFF,
    /** Each save of the OBS settings: the settings and the password field as sent. */
    obsSaves: [] as Array<{ settings: ObsLinkSettings; password: string | null }>,
    obsSaveAnswer: null as Result<ObsView> | null,
    obsPreview: { ok: false, error: NETWORK_ERROR } as Result<SetupPreview>,
    obsApplyAnswer: { ok: true, data: null } as Result<null>,
    obsApplies: 0,
    obsStarts: 0,
    overlay: OVERLAY_SERVING,
    /** Each save of the overlay's settings, as sent. */
    overlaySaves: [] as OverlaySettings[],
    /** When set, the next saves of the overlay's settings answer this (a refusal, say). */
    overlaySaveAnswer: null as Result<OverlayView> | null,
    /** The overlay page's full address, secret included; an error while it is not served. */
    overlayAddress: { ok: true, data: OVERLAY_ADDRESS } as Result<string>,
    overlayAddressAsks: 0,
    overlayRotations: 0,
    /** Comments taken off the overlay only, in order. */
    hiddenFromOverlay: [] as string[],
    hideAnswer: { ok: true, data: null } as Result<null>,
    /** Each moderation asked for, as sent. */
    moderations: [] as ModerationRequest[],
    /** When set, the next moderations answer this (a refusal, say); otherwise they succeed. */
    moderationAnswer: null as Result<ModerationResult> | null,
  };
  const ipc: Ipc = {
    brand: async () => state.brand,
    diagnostics: async () => state.diagnostics,
    serviceStatus: async () => {
      state.statusCalls += 1;
      return state.status;
    },
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
    studioSnapshot: async () => ({ ok: true, data: state.snapshot }),
    connectPlatform: async (platform) =>
      state.connectAnswers.shift() ?? { ok: true, data: { outcome: "connected", platform } },
    cancelBrowserWait: async (page) => {
      state.browserWaitCalls.push({ call: "cancel", page });
      return { ok: true, data: null };
    },
    reopenBrowserPage: async (page) => {
      state.browserWaitCalls.push({ call: "reopen", page });
      return { ok: true, data: null };
    },
    onBrowserWaitsChanged: (handler) => {
      waitHandlers.add(handler);
      return () => waitHandlers.delete(handler);
    },
    disconnectPlatform: async () => ({ ok: true, data: null }),
    armDestinations: async () => ({ ok: true, data: null }),
    goLive: async (params) => {
      state.goLiveCalls.push(params);
      return state.goLiveResult ?? { ok: false, error: NETWORK_ERROR };
    },
    stopLive: async () => state.stopResult,
    retryDestination: async () => ({ ok: false, error: NETWORK_ERROR }),
    retryChat: async () => {
      state.chatRetries += 1;
      return { ok: true, data: null };
    },
    openWatchPage: async () => ({ ok: true, data: null }),
    secretStorage: async () => state.storage,
    onGoLivePrefilled: (handler) => {
      prefillHandlers.add(handler);
      return () => prefillHandlers.delete(handler);
    },
    settingsView: async () => {
      const failure = await state.settingsRead;
      if (failure) return { ok: false, error: failure };
      return {
        ok: true,
        data: {
          draft: state.settingsDraft,
          hasPublishableKey: false,
          fromEnvironment: false,
          secrets: state.settingsSecrets,
        },
      };
    },
    checkSettings: async (draft) =>
      draft.mode !== "demo" &&
      !(draft.apiBase ?? "").startsWith("https://") &&
      !(draft.apiBase ?? "").startsWith("http://127.")
        ? {
            problem: {
              code: "settings_invalid",
              status: 0,
              message: "bad",
              cause: "The API base is not usable.",
              fix: "The API base must start with https://",
              concern: null,
            },
            warning: null,
          }
        : { problem: null, warning: null },
    saveSettings: async (draft) => {
      state.saved.push(draft);
      return { ok: true, data: null };
    },
    resolveClose: async (choice) => {
      state.closeChoices.push(choice);
      return { ok: true, data: null };
    },
    onCloseRequestedWhileLive: (handler) => {
      closeHandlers.add(handler);
      return () => closeHandlers.delete(handler);
    },
    signIn: async (route) => {
      state.signInRoutes.push(route);
      const answer = state.signInAnswers.shift();
      if (answer) return answer;
      state.snapshot = { ...state.snapshot, auth: { state: "signedIn" } };
      for (const handler of authHandlers) handler({ state: "signedIn" });
      return { ok: true, data: null };
    },
    signOut: async () => ({ ok: true, data: null }),
    onConnectionsChanged: (handler) => {
      connectionHandlers.add(handler);
      return () => connectionHandlers.delete(handler);
    },
    onJobChanged: (handler) => {
      jobHandlers.add(handler);
      return () => jobHandlers.delete(handler);
    },
    onViewersChanged: (handler) => {
      viewerHandlers.add(handler);
      return () => viewerHandlers.delete(handler);
    },
    onStudioError: (handler) => {
      errorHandlers.add(handler);
      return () => errorHandlers.delete(handler);
    },
    onStudioErrorCleared: (handler) => {
      clearedHandlers.add(handler);
      return () => clearedHandlers.delete(handler);
    },
    onChatStatusChanged: (handler) => {
      chatStatusHandlers.add(handler);
      return () => chatStatusHandlers.delete(handler);
    },
    onAuthChanged: (handler) => {
      authHandlers.add(handler);
      return () => authHandlers.delete(handler);
    },
    onJobSuperseded: quiet,
    followComments: (_cursor, handler) => {
      commentHandlers.add(handler);
      return () => commentHandlers.delete(handler);
    },
    sendChat: async (message, platforms, sendId) => {
      state.sent.push({ message, platforms });
      state.sendIds.push(sendId);
      const answer = state.sendAnswers.shift();
      if (answer) return answer;
      const targets = platforms ?? ["twitch"];
      return { ok: true, data: targets.map((platform) => ({ platform, ok: true })) };
    },
    editBanners: async (edit) => {
      state.bannerEdits.push(edit);
      return state.bannerAnswer ?? { ok: false, error: NETWORK_ERROR };
    },
    fetchImage: async (url, purpose) => {
      state.imageAsks.push({ url, purpose });
      return url.endsWith(".png")
        ? { ok: true, data: "data:image/png;base64,iVBORw0KGgo=" }
        : {
            ok: false,
            error: {
              ...NETWORK_ERROR,
              code: "image_not_shown",
              cause: "The image is not shown: a banner must be a PNG image.",
            },
          };
    },
    openHtmlBanner: async () => ({ ok: true, data: null }),
    preferences: async () => ({
      preferences: state.preferences,
      systemLanguage: "es",
      shortcutsTaken: [],
    }),
    savePreferences: async (preferences) => {
      state.savedPreferences.push(preferences);
      state.preferences = preferences;
      return {
        ok: true,
        data: {
          preferences,
          systemLanguage: "es",
          shortcutsTaken: preferences.globalShortcuts ? state.shortcutsTaken : [],
        },
      };
    },
    windowSeen: async (seen) => {
      state.windowSeen.push(seen);
    },
    toggleCompact: async () => {
      state.compactToggles += 1;
      return { ok: true, data: state.compactToggles % 2 === 1 };
    },
    obsView: async () => state.obs,
    saveObsSettings: async (settings, password) => {
      state.obsSaves.push({ settings, password });
      if (state.obsSaveAnswer) return state.obsSaveAnswer;
      state.obs = {
        ...state.obs,
        settings,
        hasPassword: password === null ? state.obs.hasPassword : password !== "",
      };
      return { ok: true, data: state.obs };
    },
    obsSetupPreview: async () => state.obsPreview,
    obsSetupApply: async () => {
      state.obsApplies += 1;
      return state.obsApplyAnswer;
    },
    obsStartAndGoLive: async () => {
      state.obsStarts += 1;
      return { ok: true, data: null };
    },
    onObsChanged: (handler) => {
      obsHandlers.add(handler);
      return () => obsHandlers.delete(handler);
    },
    overlayView: async () => state.overlay,
    saveOverlaySettings: async (settings) => {
      state.overlaySaves.push(settings);
      if (state.overlaySaveAnswer) return state.overlaySaveAnswer;
      state.overlay = { ...state.overlay, settings };
      return { ok: true, data: state.overlay };
    },
    overlayAddress: async () => {
      state.overlayAddressAsks += 1;
      return state.overlayAddress;
    },
    rotateOverlayAddress: async () => {
      state.overlayRotations += 1;
      return { ok: true, data: state.overlay };
    },
    hideFromOverlay: async (commentId) => {
      state.hiddenFromOverlay.push(commentId);
      return state.hideAnswer;
    },
    onOverlayChanged: (handler) => {
      overlayHandlers.add(handler);
      return () => overlayHandlers.delete(handler);
    },
    moderateChat: async (request) => {
      state.moderations.push(request);
      if (state.moderationAnswer) return state.moderationAnswer;
      const { action, platform, commentId = null, authorId = null, durationSeconds } = request;
      const until = action === "timeout" ? Date.now() + (durationSeconds ?? 0) * 1000 : null;
      return { ok: true, data: { action, platform, commentId, authorId, until } };
    },
    onStudioActionRequested: (handler) => {
      actionHandlers.add(handler);
      return () => actionHandlers.delete(handler);
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
    prefill(sessionId: string) {
      for (const handler of prefillHandlers) handler(sessionId);
    },
    requestClose() {
      for (const handler of closeHandlers) handler();
    },
    emitJob(job: Job | null) {
      for (const handler of jobHandlers) handler(job);
    },
    emitStudioError(error: AppError) {
      for (const handler of errorHandlers) handler(error);
    },
    emitStudioErrorCleared(concern: Concern) {
      for (const handler of clearedHandlers) handler(concern);
    },
    emitChatStatus(status: ChatStatus) {
      for (const handler of chatStatusHandlers) handler(status);
    },
    emitComments(comments: Comment[], backfill = false) {
      for (const handler of commentHandlers) handler({ comments, backfill, skipped: 0, moderation: null });
    },
    /** A moderation coming back through the chat, after `comments` (in the stream's order). */
    emitModeration(moderation: ModerationEvent, comments: Comment[] = []) {
      for (const handler of commentHandlers) handler({ comments, backfill: false, skipped: 0, moderation });
    },
    /** Rust skipped `count` chat messages too large to show. */
    emitSkipped(count: number) {
      for (const handler of commentHandlers)
        handler({ comments: [], backfill: false, skipped: count, moderation: null });
    },
    emitAuth(auth: AuthStatus) {
      for (const handler of authHandlers) handler(auth);
    },
    requestAction(action: StudioAction) {
      for (const handler of actionHandlers) handler(action);
    },
    emitConnections(list: Connection[]) {
      for (const handler of connectionHandlers) handler(list);
    },
    emitBrowserWaits(waits: BrowserWait[]) {
      for (const handler of waitHandlers) handler(waits);
    },
    emitViewers(viewers: Viewers | null) {
      for (const handler of viewerHandlers) handler(viewers);
    },
    emitObs(view: ObsView) {
      state.obs = view;
      for (const handler of obsHandlers) handler(view);
    },
    emitOverlay(view: OverlayView) {
      state.overlay = view;
      for (const handler of overlayHandlers) handler(view);
    },
    /** How many are following the chat (emitted comments reach only those). */
    chatFollowers: () => commentHandlers.size,
    /** How many are following the viewer counts. */
    viewerFollowers: () => viewerHandlers.size,
    listenerCount: () =>
      statusHandlers.size +
      linkHandlers.size +
      connectionHandlers.size +
      jobHandlers.size +
      authHandlers.size,
  };
}

/** A job as the service reports it: running on Twitch, with `overrides` on top. */
export function jobFixture(overrides: Partial<Job> = {}): Job {
  return {
    id: "job_1",
    status: "running",
    destinations: ["twitch"],
    publisherSessionId: "sess_1",
    trackNames: ["audio", "video"],
    overlay: {
      enabled: false,
      htmlBanner: null,
      topBanner: null,
      bottomBanner: null,
      hideTop: false,
      hideBottom: false,
    },
    recording: false,
    createdAt: 1,
    startedAt: 1,
    broadcasts: [{ platform: "twitch", status: "live" }],
    ...overrides,
  };
}

/** The OBS view of a studio whose link is off (the defaults). */
export const OBS_OFF: ObsView = {
  settings: {
    enabled: false,
    host: "127.0.0.1",
    port: 4455,
    goLiveWhenObsStarts: false,
    stopWhenObsStops: false,
    sessionWaitSeconds: 30,
    stopGraceSeconds: 10,
  },
  hasPassword: false,
  link: { state: "off" },
  output: "unknown",
  health: null,
  stopRule: null,
  awaitingSession: false,
  stoppingAt: null,
  activity: [],
};

/** What the fake hands out as the overlay page's address (its secret is SECRET). */
export const OVERLAY_ADDRESS = "http://127.0.0.1:47651/overlay/SECRET/chat";

/** The overlay's defaults, served on its first port. */
export const OVERLAY_SERVING: OverlayView = {
  settings: {
    enabled: true,
    port: 47651,
    holdSeconds: 0,
    hideCommands: true,
    hiddenUsers: ["Nightbot", "StreamElements"],
    fadeSeconds: 0,
    maxLines: 12,
    fontSize: 20,
    theme: "dark",
    textColor: "#ffffff",
    rowColor: "#000000aa",
    badges: true,
  },
  servingOn: 47651,
  problem: null,
  addressForThisSessionOnly: false,
};

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
  concern: null,
};
