import { useState } from "react";
import { useNow } from "../../hooks/useNow";
import { useT } from "../../i18n";
import { type AppError, ipc, type ObsView } from "../../ipc";
import { ErrorNotice } from "../ErrorNotice";
import { Switch } from "../Switch";
import { ObsSetup } from "./ObsSetup";
import { healthWords, linkWords, newsWords, outputWords, ruleWords } from "./obsWords";

/** Seconds until `atMs`, redrawn once a second while there is one. */
function useSecondsUntil(atMs: string | null): number | null {
  // Ticks when the count changes: on whole seconds before `atMs`.
  const now = useNow(1000, atMs !== null, atMs === null ? 0 : Number(atMs));
  return atMs === null ? null : Math.max(0, Math.ceil((Number(atMs) - now) / 1000));
}

/**
 * OBS beside the destinations: the link's state (cause and fix when it is down), OBS's stream and
 * its health, the two switches, which rule ends the stream, and what the studio did on its own.
 */
export function ObsCard({ view, live }: { view: ObsView; live: boolean }) {
  const t = useT();
  const [setupOpen, setSetupOpen] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const stoppingIn = useSecondsUntil(view.stoppingAt);
  const link = linkWords(t, view.link);
  const output = outputWords(t, view);
  const connected = view.link.state === "connected";
  const flip = async (which: "goLiveWhenObsStarts" | "stopWhenObsStops", on: boolean) => {
    const result = await ipc.saveObsSettings({ ...view.settings, [which]: on }, null);
    setError(result.ok ? null : result.error);
  };
  const start = async () => {
    const result = await ipc.obsStartAndGoLive();
    setError(result.ok ? null : result.error);
  };
  const rule = ruleWords(t, view);
  return (
    <section className="card obs" aria-labelledby="obs-heading" data-testid="obs-card">
      <h2 id="obs-heading">{t("obs.heading")}</h2>
      {link && "line" in link ? (
        <p className="muted" data-testid="obs-link" data-state={view.link.state}>
          {link.line}
        </p>
      ) : null}
      {link && "cause" in link ? (
        <div className="notice" role="status" data-testid="obs-link" data-state={view.link.state}>
          <p className="notice-cause">{link.cause}</p>
          <p className="notice-fix">{link.fix}</p>
        </div>
      ) : null}
      {output ? (
        <p role="status" data-testid="obs-output" data-output={view.output}>
          {output}
          {view.health && view.output === "streaming"
            ? ` · ${healthWords(t, view.health).join(" · ")}`
            : null}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} testId="obs-error" /> : null}
      <Switch
        testId="obs-switch-go-live"
        on={view.settings.goLiveWhenObsStarts}
        onChange={(on) => flip("goLiveWhenObsStarts", on)}
        label={t("obs.switch.goLive")}
      />
      <Switch
        testId="obs-switch-stop"
        on={view.settings.stopWhenObsStops}
        onChange={(on) => flip("stopWhenObsStops", on)}
        label={t("obs.switch.stop")}
      />
      {rule ? (
        <p className="muted" data-testid="obs-rule">
          {rule}
        </p>
      ) : null}
      {view.awaitingSession ? <p role="status">{t("obs.awaitingSession")}</p> : null}
      {stoppingIn !== null ? (
        <p role="status" data-testid="obs-stopping">
          {t("obs.stoppingIn", { seconds: stoppingIn })}
        </p>
      ) : null}
      {connected ? (
        <div className="dialog-actions">
          <button
            type="button"
            data-testid="obs-start"
            disabled={live || view.output === "streaming" || view.output === "reconnecting"}
            onClick={start}
          >
            {t("obs.startAndGoLive")}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="obs-set-up"
            aria-expanded={setupOpen}
            onClick={() => setSetupOpen(!setupOpen)}
          >
            {t("obs.setUp")}
          </button>
        </div>
      ) : null}
      {setupOpen && connected ? <ObsSetup onClose={() => setSetupOpen(false)} /> : null}
      {view.activity.length > 0 ? (
        <>
          <h3>{t("obs.activity")}</h3>
          <ol className="obs-activity" aria-live="polite" data-testid="obs-activity">
            {view.activity.map((item) => (
              <li key={`${item.at}-${item.news.kind}`} data-kind={item.news.kind}>
                <time dateTime={new Date(Number(item.at)).toISOString()}>
                  {new Date(Number(item.at)).toLocaleTimeString(t.language)}
                </time>{" "}
                {newsWords(t, item.news)}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
