import { useState } from "react";
import { CloseDialog } from "./components/CloseDialog";
import { ConnectionsPanel } from "./components/ConnectionsPanel";
import { ChatPanel } from "./components/chat/ChatPanel";
import { DeepLinkLog } from "./components/DeepLinkLog";
import { ErrorNotice } from "./components/ErrorNotice";
import { GoLivePanel } from "./components/GoLivePanel";
import { JobPanel } from "./components/JobPanel";
import { ServiceBanner } from "./components/ServiceBanner";
import { SettingsPanel } from "./components/SettingsPanel";
import { SignInPanel } from "./components/SignInPanel";
import { useAuth } from "./hooks/useAuth";
import { useBrand } from "./hooks/useBrand";
import { useDeepLinks } from "./hooks/useDeepLinks";
import { usePlatforms } from "./hooks/usePlatforms";
import { useRestream } from "./hooks/useRestream";
import { useServiceStatus } from "./hooks/useServiceStatus";

export function App() {
  const [settingsOpen, setSettingsOpen] = useState(false);
  const brand = useBrand();
  const status = useServiceStatus();
  const { platforms, error, loading, reload } = usePlatforms(status);
  const studio = useRestream(status);
  const links = useDeepLinks();
  const session = useAuth(status);
  const live = studio.job !== null && (studio.job.status === "queued" || studio.job.status === "running");

  return (
    <main className="app">
      <header className="app-header">
        <h1 data-testid="product-name">{brand?.productName ?? ""}</h1>
        <ServiceBanner status={status} />
        <button
          type="button"
          className="secondary"
          data-testid="open-settings"
          onClick={() => setSettingsOpen(!settingsOpen)}
        >
          Settings
        </button>
        {session.auth?.state === "signedIn" ? (
          <p className="muted">
            Signed in ·{" "}
            <button type="button" className="secondary" data-testid="sign-out" onClick={session.signOut}>
              Sign out
            </button>
          </p>
        ) : null}
      </header>
      {status?.state === "up" && status.warning ? (
        <p className="notice notice-error" role="note" data-testid="service-warning">
          {status.warning}
        </p>
      ) : null}
      {settingsOpen ? <SettingsPanel brand={brand} onClose={() => setSettingsOpen(false)} /> : null}
      {status?.state === "up" && status.mode === "demo" && !settingsOpen ? (
        <p className="muted" data-testid="demo-note">
          Demo mode: everything here runs on a service inside the app, with no account anywhere. Open Settings
          to use your operator's service.
        </p>
      ) : null}
      {session.storage?.state === "sessionOnly" ? (
        <p className="notice" role="status" data-testid="session-only">
          {session.storage.reason}
        </p>
      ) : null}
      {session.auth?.state === "signInRequired" ? <SignInPanel state={session} onSignedIn={reload} /> : null}
      {session.auth?.state === "signInRequired" ? null : (
        <>
          {studio.error ? <ErrorNotice error={studio.error} /> : null}
          <section className="card" aria-labelledby="platforms-heading" aria-busy={loading}>
            <h2 id="platforms-heading">Platforms</h2>
            {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
            {loading && platforms.length === 0 ? <p className="muted">Loading platforms…</p> : null}
            {platforms.length > 0 ? (
              <ConnectionsPanel
                platforms={platforms}
                connections={studio.connections}
                connect={studio.connect}
                onConnect={studio.connectPlatform}
                onDisconnect={studio.disconnect}
              />
            ) : null}
            {studio.connect.state === "done" ? (
              <p className="muted" role="status" data-testid="connect-outcome">
                {studio.connect.outcome}
              </p>
            ) : null}
          </section>
          {studio.job ? (
            <JobPanel
              job={studio.job}
              names={Object.fromEntries(platforms.map((p) => [p.platform, p.displayName]))}
              clockOffsetMs={studio.clockOffsetMs}
              viewers={studio.viewers}
              superseded={studio.superseded}
              busy={studio.busy}
              onStop={studio.stopLive}
              onRetry={studio.retry}
            />
          ) : null}
          {studio.job ? (
            <ChatPanel
              status={status}
              destinations={studio.job.destinations}
              live={studio.job.status === "running"}
            />
          ) : null}
          {!live && status?.state === "up" ? (
            <section className="card" aria-labelledby="go-live-heading">
              <h2 id="go-live-heading">Go live</h2>
              <GoLivePanel
                connections={studio.connections}
                armed={studio.armed}
                busy={studio.busy}
                onGoLive={studio.goLive}
              />
            </section>
          ) : null}
        </>
      )}
      <DeepLinkLog links={links} />
      <CloseDialog />
    </main>
  );
}
