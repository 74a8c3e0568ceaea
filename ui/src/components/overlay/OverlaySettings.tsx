import { useEffect, useState } from "react";
import { useT } from "../../i18n";
import { type AppError, ipc, MAX_HOLD_SECONDS, MAX_OVERLAY_LINES, type OverlayView } from "../../ipc";
import { ErrorNotice } from "../ErrorNotice";
import { Switch } from "../Switch";
import { OverlayAddress } from "./OverlayAddress";
import { NumberText, ThemeChoice } from "./OverlayFields";
import { draftOf, type OverlayDraft, problemsOf, settingsOf } from "./overlayDraft";

/** Whether the overlay is served, off, or refused (with the cause and what to do). */
function ServingLine({ view }: { view: OverlayView }) {
  const t = useT();
  if (view.problem) return <ErrorNotice error={view.problem} testId="overlay-problem" />;
  return (
    <p className="muted" data-testid="overlay-state">
      {view.servingOn !== null
        ? t("overlay.serving", { port: String(view.servingOn) })
        : view.settings.enabled
          ? t("overlay.starting")
          : t("overlay.off")}
    </p>
  );
}

/**
 * The chat overlay OBS shows: whether it is served and where, its address (to copy, renew or
 * preview), and its settings. A refused save keeps what was typed.
 */
export function OverlaySettings({
  view,
  onView,
}: {
  view: OverlayView;
  onView: (view: OverlayView) => void;
}) {
  const t = useT();
  const [draft, setDraft] = useState<OverlayDraft>(() => draftOf(view.settings));
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const savedPort = view.settings.port;
  const problems = problemsOf(t, draft, savedPort !== 0);
  // The port the studio chose, once it chose one, fills a port field left empty.
  useEffect(() => {
    if (savedPort !== 0) setDraft((d) => (d.port.trim() === "" ? { ...d, port: String(savedPort) } : d));
  }, [savedPort]);
  const set = (change: Partial<OverlayDraft>) => {
    setSaved(false);
    setDraft({ ...draft, ...change });
  };
  const save = async () => {
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setSaved(false);
    const result = await ipc.saveOverlaySettings(settingsOf(draft));
    setBusy(false);
    setError(result.ok ? null : result.error);
    if (result.ok) {
      onView(result.data);
      setSaved(true);
    }
  };
  return (
    <section className="card" aria-labelledby="overlay-heading" data-testid="overlay-settings">
      <h2 id="overlay-heading">{t("overlay.heading")}</h2>
      <p className="muted">{t("overlay.help")}</p>
      <ServingLine view={view} />
      {view.addressForThisSessionOnly ? (
        <p className="notice" role="note" data-testid="overlay-session-only">
          {t("overlay.sessionOnly")}
        </p>
      ) : null}
      {view.servingOn !== null ? <OverlayAddress port={view.servingOn} onView={onView} /> : null}
      {error ? <ErrorNotice error={error} testId="overlay-error" /> : null}
      <form
        className="go-live"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Switch
          testId="overlay-enabled"
          on={draft.enabled}
          onChange={(enabled) => set({ enabled })}
          label={t("overlay.enabled")}
        />
        <NumberText
          testId="overlay-port"
          label={t("overlay.port")}
          value={draft.port}
          placeholder={view.settings.port === 0 ? t("overlay.portChosen") : undefined}
          problem={problems.port}
          onChange={(port) => set({ port })}
        />
        <NumberText
          testId="overlay-hold"
          label={t("overlay.hold", { max: MAX_HOLD_SECONDS })}
          hint={t("overlay.holdHelp")}
          value={draft.holdSeconds}
          problem={problems.holdSeconds}
          onChange={(holdSeconds) => set({ holdSeconds })}
        />
        <Switch
          testId="overlay-hide-commands"
          on={draft.hideCommands}
          onChange={(hideCommands) => set({ hideCommands })}
          label={t("overlay.hideCommands")}
        />
        <label>
          {t("overlay.hiddenUsers")}
          <textarea
            data-testid="overlay-hidden-users"
            rows={5}
            spellCheck={false}
            value={draft.hiddenUsers}
            onChange={(event) => set({ hiddenUsers: event.target.value })}
          />
        </label>
        <NumberText
          testId="overlay-fade"
          label={t("overlay.fade")}
          value={draft.fadeSeconds}
          problem={problems.fadeSeconds}
          onChange={(fadeSeconds) => set({ fadeSeconds })}
        />
        <NumberText
          testId="overlay-max-lines"
          label={t("overlay.maxLines", { max: MAX_OVERLAY_LINES })}
          value={draft.maxLines}
          problem={problems.maxLines}
          onChange={(maxLines) => set({ maxLines })}
        />
        <NumberText
          testId="overlay-font-size"
          label={t("overlay.fontSize")}
          value={draft.fontSize}
          problem={problems.fontSize}
          onChange={(fontSize) => set({ fontSize })}
        />
        <ThemeChoice draft={draft} onChange={set} />
        <Switch
          testId="overlay-badges"
          on={draft.badges}
          onChange={(badges) => set({ badges })}
          label={t("overlay.badges")}
        />
        <div className="dialog-actions">
          <button
            type="submit"
            data-testid="overlay-save"
            disabled={busy || Object.keys(problems).length > 0}
          >
            {busy ? t("common.saving") : t("overlay.save")}
          </button>
          {saved ? (
            <span role="status" className="muted" data-testid="overlay-saved">
              {t("overlay.saved")}
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}
