import { useEffect, useMemo, useState } from "react";
import { CloseDialog } from "./components/CloseDialog";
import { ConnectionsPanel } from "./components/ConnectionsPanel";
import { ChatPanel } from "./components/chat/ChatPanel";
import { offersOf } from "./components/chat/moderationContext";
import { DeepLinkLog } from "./components/DeepLinkLog";
import { ErrorNotice } from "./components/ErrorNotice";
import { GoLivePanel } from "./components/GoLivePanel";
import { HelpOverlay } from "./components/HelpOverlay";
import { JobPanel } from "./components/JobPanel";
import { ObsCard } from "./components/obs/ObsCard";
import { ObsSettings } from "./components/obs/ObsSettings";
import { OverlaySettings } from "./components/overlay/OverlaySettings";
import { PreferencesPanel } from "./components/PreferencesPanel";
import { ServiceBanner } from "./components/ServiceBanner";
import { SettingsPanel } from "./components/SettingsPanel";
import { SignInPanel } from "./components/SignInPanel";
import { StopDialog } from "./components/StopDialog";
import { useAuth } from "./hooks/useAuth";
import { useBrand } from "./hooks/useBrand";
import { useConnections } from "./hooks/useConnections";
import { useDeepLinks } from "./hooks/useDeepLinks";
import { forgetImages } from "./hooks/useImage";
import { useOnScreen } from "./hooks/useNow";
import { useObs } from "./hooks/useObs";
import { useOverlay } from "./hooks/useOverlay";
import { usePlatforms } from "./hooks/usePlatforms";
import { type PreferencesState, usePreferences } from "./hooks/usePreferences";
import { useRestream } from "./hooks/useRestream";
import { useServiceStatus } from "./hooks/useServiceStatus";
import { useViewers } from "./hooks/useViewers";
import { I18nProvider, useT } from "./i18n";
import { ipc } from "./ipc";
import { requestAction, useAction, useShortcutKeys } from "./shortcuts";

/** The window, in the streamer's language. */
export function App() {
  const preferences = usePreferences();
  return (
    <I18nProvider language={preferences.language}>
      <Studio preferences={preferences} />
    </I18nProvider>
  );
}

function Studio({ preferences }: { preferences: PreferencesState }) {
  const t = useT();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const brand = useBrand();
  const status = useServiceStatus();
  // Another service's images may differ at the same address: none of the last one's are kept.
  const serviceBase = status?.state === "up" ? status.apiBase : null;
  useEffect(() => {
    if (serviceBase !== null) forgetImages();
  }, [serviceBase]);
  const { platforms, error, loading, reload } = usePlatforms(status);
  // Changes only when the platforms are read again, so the chat's rows are not redrawn per batch.
  const moderation = useMemo(() => offersOf(platforms), [platforms]);
  const restream = useRestream(status);
  const accounts = useConnections(restream.studio);
  const { viewers } = useViewers(restream.studio);
  const links = useDeepLinks();
  const session = useAuth(status);
  const obs = useObs();
  const overlay = useOverlay();
  const live =
    restream.job !== null && (restream.job.status === "queued" || restream.job.status === "running");
  const goLive =
    !live && status?.state === "up" ? (
      <section className="card" aria-labelledby="go-live-heading">
        <h2 id="go-live-heading">{t("app.goLive")}</h2>
        <GoLivePanel
          connections={accounts.connections}
          armed={restream.armed}
          busy={restream.busy}
          onGoLive={restream.goLive}
        />
      </section>
    ) : null;
  useShortcutKeys();
  const onScreen = useOnScreen();
  useEffect(() => {
    ipc.windowSeen(onScreen);
  }, [onScreen]);
  // Global shortcuts and the tray reach the window through Rust, then go where a key would.
  useEffect(() => ipc.onStudioActionRequested(requestAction), []);
  useAction("toggleCompact", () => {
    ipc.toggleCompact();
  });

  return (
    <main className="app">
      <header className="app-header">
        <h1 data-testid="product-name">{brand?.productName ?? ""}</h1>
        <ServiceBanner status={status} />
        <div className="app-header-actions">
          <button
            type="button"
            className="secondary"
            data-testid="open-settings"
            aria-expanded={settingsOpen}
            onClick={() => setSettingsOpen(!settingsOpen)}
          >
            {t("app.settings")}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="open-help"
            onClick={() => requestAction("help")}
          >
            {t("app.shortcuts")}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="toggle-compact"
            onClick={() => requestAction("toggleCompact")}
          >
            {t("app.toggleCompact")}
          </button>
          {session.auth?.state === "signedIn" ? (
            <span className="muted">
              {t("app.signedIn")} ·{" "}
              <button type="button" className="secondary" data-testid="sign-out" onClick={session.signOut}>
                {t("app.signOut")}
              </button>
            </span>
          ) : null}
        </div>
      </header>
      {status?.state === "up" && status.warning ? (
        <p className="notice notice-error" role="note" data-testid="service-warning">
          {status.warning}
        </p>
      ) : null}
      {settingsOpen ? <PreferencesPanel preferences={preferences} /> : null}
      {settingsOpen ? <SettingsPanel brand={brand} onClose={() => setSettingsOpen(false)} /> : null}
      {settingsOpen && obs ? <ObsSettings view={obs} /> : null}
      {settingsOpen && overlay.view ? <OverlaySettings view={overlay.view} onView={overlay.took} /> : null}
      {status?.state === "up" && status.mode === "demo" && !settingsOpen ? (
        <p className="muted" data-testid="demo-note">
          {t("app.demoNote")}
        </p>
      ) : null}
      {session.storage?.state === "sessionOnly" ? (
        <p className="notice" role="status" data-testid="session-only">
          {session.storage.reason}
        </p>
      ) : null}
      {session.auth?.state === "signInRequired" ? (
        <SignInPanel
          state={session}
          wait={restream.browserWaits.find((w) => w.page === "signIn") ?? null}
          onReopen={() => restream.reopenBrowserPage({ page: "signIn" })}
          onCancel={() => restream.cancelBrowserWait({ page: "signIn" })}
          onSignedIn={reload}
        />
      ) : null}
      {session.auth?.state === "signInRequired" ? null : (
        <div className="app-columns">
          <div className="app-column">
            {restream.errors.map((e) => (
              <ErrorNotice key={e.concern ?? `window-${e.code}`} error={e} testId="studio-error" />
            ))}
            <section className="card" aria-labelledby="platforms-heading" aria-busy={loading}>
              <h2 id="platforms-heading">{t("app.platforms")}</h2>
              {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
              {loading && platforms.length === 0 ? (
                <p className="muted">{t("app.loadingPlatforms")}</p>
              ) : null}
              {platforms.length > 0 ? (
                <ConnectionsPanel
                  platforms={platforms}
                  connections={accounts.connections}
                  connecting={restream.connecting}
                  waits={restream.browserWaits}
                  onConnect={accounts.connect}
                  onDisconnect={accounts.disconnect}
                  onCancelWait={restream.cancelBrowserWait}
                  onReopen={restream.reopenBrowserPage}
                />
              ) : null}
              {restream.connect.state === "done" ? (
                <p className="muted" role="status" data-testid="connect-outcome">
                  {restream.connect.outcome}
                </p>
              ) : null}
            </section>
            {obs?.settings.enabled ? <ObsCard view={obs} live={live} /> : null}
            {restream.job ? (
              <JobPanel
                job={restream.job}
                names={Object.fromEntries(platforms.map((p) => [p.platform, p.displayName]))}
                clockOffsetMs={restream.clockOffsetMs}
                viewers={viewers}
                superseded={restream.superseded}
                busy={restream.busy}
                onStop={restream.stopLive}
                onRetry={restream.retry}
              />
            ) : null}
            {restream.job ? goLive : null}
          </div>
          {/* Wide, the second column holds the chat while there is a job, else the go-live form
              beside the platforms; compact, it follows them. */}
          {restream.job ? (
            <div className="app-column app-chat">
              <ChatPanel
                status={status}
                destinations={restream.job.destinations}
                live={restream.job.status === "running"}
                moderation={moderation}
              />
            </div>
          ) : goLive ? (
            <div className="app-column">{goLive}</div>
          ) : null}
        </div>
      )}
      <DeepLinkLog links={links} />
      <CloseDialog />
      <StopDialog live={live} platforms={restream.job?.destinations.length ?? 0} onStop={restream.stopLive} />
      <HelpOverlay globalShortcuts={preferences.view?.preferences.globalShortcuts ?? false} />
    </main>
  );
}
