import { useEffect, useState } from "react";
import { useT } from "../../i18n";
import { type AppError, ipc, MAX_OBS_PASSWORD_CHARS, type ObsLinkSettings, type ObsView } from "../../ipc";
import { ErrorNotice } from "../ErrorNotice";
import { Switch } from "../Switch";

/** A whole number, typed; what is not a number reads as 0, which Rust's check then names. */
function NumberField({
  testId,
  label,
  value,
  onChange,
}: {
  testId: string;
  label: string;
  value: number;
  onChange: (value: number) => void;
}) {
  return (
    <label>
      {label}
      <input
        data-testid={testId}
        inputMode="numeric"
        value={String(value)}
        onChange={(event) => onChange(Number.parseInt(event.target.value, 10) || 0)}
      />
    </label>
  );
}

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
        <Switch
          testId="obs-enabled"
          on={draft.enabled}
          onChange={(enabled) => setDraft({ ...draft, enabled })}
          label={t("obs.settings.enabled")}
        />
        <label>
          {t("obs.settings.host")}
          <input
            data-testid="obs-host"
            value={draft.host}
            spellCheck={false}
            onChange={(event) => setDraft({ ...draft, host: event.target.value })}
          />
        </label>
        <NumberField
          testId="obs-port"
          label={t("obs.settings.port")}
          value={draft.port}
          onChange={(n) => setDraft({ ...draft, port: n })}
        />
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
        <NumberField
          testId="obs-session-wait"
          label={t("obs.settings.sessionWait")}
          value={draft.sessionWaitSeconds}
          onChange={(n) => setDraft({ ...draft, sessionWaitSeconds: n })}
        />
        <NumberField
          testId="obs-stop-grace"
          label={t("obs.settings.stopGrace")}
          value={draft.stopGraceSeconds}
          onChange={(n) => setDraft({ ...draft, stopGraceSeconds: n })}
        />
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
