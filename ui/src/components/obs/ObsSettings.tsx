import { useEffect, useState } from "react";
import { useT } from "../../i18n";
import { type AppError, ipc, MAX_OBS_PASSWORD_CHARS, type ObsLinkSettings, type ObsView } from "../../ipc";
import { ErrorNotice } from "../ErrorNotice";

/**
 * The OBS link's settings: on or off, where obs-websocket listens, its password (kept in the
 * keychain; the field never shows it), and the two waits. A refused save keeps what was typed.
 */
export function ObsSettings({ view }: { view: ObsView }) {
  const t = useT();
  const [draft, setDraft] = useState<ObsLinkSettings>(view.settings);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // The switches also change from the card and the tray: follow them without touching the form.
  const { goLiveWhenObsStarts, stopWhenObsStops } = view.settings;
  useEffect(() => {
    setDraft((d) => ({ ...d, goLiveWhenObsStarts, stopWhenObsStops }));
  }, [goLiveWhenObsStarts, stopWhenObsStops]);
  const save = async (forget: boolean) => {
    setBusy(true);
    setSaved(false);
    const result = await ipc.saveObsSettings(draft, forget ? "" : password === "" ? null : password);
    setBusy(false);
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setPassword("");
      setSaved(true);
    }
  };
  const number = (field: "port" | "sessionWaitSeconds" | "stopGraceSeconds", text: string) =>
    setDraft({ ...draft, [field]: Number.parseInt(text, 10) || 0 });
  return (
    <section className="card" aria-labelledby="obs-settings-heading" data-testid="obs-settings">
      <h2 id="obs-settings-heading">{t("obs.settings.heading")}</h2>
      <p className="muted">{t("obs.settings.where")}</p>
      {error ? <ErrorNotice error={error} testId="obs-settings-error" /> : null}
      <form
        className="go-live"
        onSubmit={(event) => {
          event.preventDefault();
          save(false);
        }}
      >
        <label className="check">
          <input
            type="checkbox"
            data-testid="obs-enabled"
            checked={draft.enabled}
            onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })}
          />
          {t("obs.settings.enabled")}
        </label>
        <label>
          {t("obs.settings.host")}
          <input
            data-testid="obs-host"
            value={draft.host}
            spellCheck={false}
            onChange={(event) => setDraft({ ...draft, host: event.target.value })}
          />
        </label>
        <label>
          {t("obs.settings.port")}
          <input
            data-testid="obs-port"
            inputMode="numeric"
            value={String(draft.port)}
            onChange={(event) => number("port", event.target.value)}
          />
        </label>
        <label>
          {t("obs.settings.password")}
          <input
            type="password"
            data-testid="obs-password"
            autoComplete="off"
            maxLength={MAX_OBS_PASSWORD_CHARS}
            value={password}
            placeholder={view.hasPassword ? t("obs.settings.passwordSaved") : ""}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <label>
          {t("obs.settings.sessionWait")}
          <input
            data-testid="obs-session-wait"
            inputMode="numeric"
            value={String(draft.sessionWaitSeconds)}
            onChange={(event) => number("sessionWaitSeconds", event.target.value)}
          />
        </label>
        <label>
          {t("obs.settings.stopGrace")}
          <input
            data-testid="obs-stop-grace"
            inputMode="numeric"
            value={String(draft.stopGraceSeconds)}
            onChange={(event) => number("stopGraceSeconds", event.target.value)}
          />
        </label>
        <div className="dialog-actions">
          <button type="submit" data-testid="obs-save" disabled={busy}>
            {t("obs.settings.save")}
          </button>
          {view.hasPassword ? (
            <button
              type="button"
              className="secondary"
              data-testid="obs-forget-password"
              onClick={() => save(true)}
            >
              {t("obs.settings.forgetPassword")}
            </button>
          ) : null}
          {saved ? (
            <span role="status" className="muted">
              {t("obs.settings.saved")}
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}
