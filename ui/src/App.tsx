import { DeepLinkLog } from "./components/DeepLinkLog";
import { ErrorNotice } from "./components/ErrorNotice";
import { PlatformList } from "./components/PlatformList";
import { ServiceBanner } from "./components/ServiceBanner";
import { useDeepLinks } from "./hooks/useDeepLinks";
import { usePlatforms } from "./hooks/usePlatforms";
import { useServiceStatus } from "./hooks/useServiceStatus";

export function App() {
  const status = useServiceStatus();
  const { platforms, error, loading, reload } = usePlatforms(status);
  const links = useDeepLinks();

  return (
    <main className="app">
      <header className="app-header">
        <h1>Restream Studio</h1>
        <ServiceBanner status={status} />
      </header>
      <section className="card" aria-labelledby="platforms-heading" aria-busy={loading}>
        <h2 id="platforms-heading">Platforms</h2>
        {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
        {loading && platforms.length === 0 ? <p className="muted">Loading platforms…</p> : null}
        {platforms.length > 0 ? <PlatformList platforms={platforms} /> : null}
      </section>
      <DeepLinkLog links={links} />
    </main>
  );
}
