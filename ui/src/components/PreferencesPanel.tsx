import { useState } from "react";
import type { PreferencesState } from "../hooks/usePreferences";
import { type MessageKey, useT } from "../i18n";
import { type AppError, GO_LIVE_KEYS, type Preferences, STOP_KEYS } from "../ipc";
import { keyStyle, keysIn } from "../shortcuts";
import { ErrorNotice } from "./ErrorNotice";
import { Switch } from "./Switch";

const NOTIFICATION_KINDS: [keyof Preferences["notifications"], MessageKey][] = [
  ["destinationFailed", "prefs.notify.destinationFailed"],
  ["jobEnded", "prefs.notify.jobEnded"],
  ["signInRequired", "prefs.notify.signInRequired"],
];

/** How the window looks and behaves. Each change applies and is saved at once. */
export function PreferencesPanel({ preferences }: { preferences: PreferencesState }) {
  const t = useT();
  const [error, setError] = useState<AppError | null>(null);
  const view = preferences.view;
  if (!view) return null;
  const chosen = view.preferences;
  const change = async (next: Preferences) => {
    const saved = await preferences.save(next);
    setError(saved.ok ? null : saved.error);
  };
  const systemLanguage = view.systemLanguage === "es" ? "Español" : "English";
  return (
    <section className="card preferences" aria-labelledby="preferences-heading" data-testid="preferences">
      <h2 id="preferences-heading">{t("prefs.heading")}</h2>
      {error ? <ErrorNotice error={error} /> : null}
      <label className="field">
        {t("prefs.theme")}
        <select
          data-testid="pref-theme"
          value={chosen.theme}
          onChange={(event) => change({ ...chosen, theme: event.target.value as Preferences["theme"] })}
        >
          <option value="system">{t("prefs.theme.system")}</option>
          <option value="light">{t("prefs.theme.light")}</option>
          <option value="dark">{t("prefs.theme.dark")}</option>
        </select>
      </label>
      <label className="field">
        {t("prefs.language")}
        <select
          data-testid="pref-language"
          value={chosen.language}
          onChange={(event) => change({ ...chosen, language: event.target.value as Preferences["language"] })}
        >
          <option value="system">{t("prefs.language.system", { language: systemLanguage })}</option>
          {/* Each language in its own words, so a streamer who cannot read this one finds theirs. */}
          <option value="en" lang="en">
            English
          </option>
          <option value="es" lang="es">
            Español
          </option>
        </select>
      </label>
      <Switch
        testId="pref-always-on-top"
        on={chosen.alwaysOnTop}
        onChange={(on) => change({ ...chosen, alwaysOnTop: on })}
        label={t("prefs.alwaysOnTop")}
      />
      <fieldset>
        <legend>{t("prefs.notify.legend")}</legend>
        {NOTIFICATION_KINDS.map(([kind, label]) => (
          <Switch
            key={kind}
            testId={`pref-notify-${kind}`}
            on={chosen.notifications[kind]}
            onChange={(on) => change({ ...chosen, notifications: { ...chosen.notifications, [kind]: on } })}
            label={t(label)}
          />
        ))}
      </fieldset>
      <Switch
        testId="pref-global-shortcuts"
        on={chosen.globalShortcuts}
        onChange={(on) => change({ ...chosen, globalShortcuts: on })}
        label={t("prefs.globalShortcuts", {
          goLive: keysIn(keyStyle(), GO_LIVE_KEYS),
          stop: keysIn(keyStyle(), STOP_KEYS),
        })}
      />
      {view.shortcutsTaken.length > 0 ? (
        <p className="notice notice-error" role="status" data-testid="shortcuts-taken">
          {t("prefs.shortcutsTaken", { keys: view.shortcutsTaken.join(", ") })}
        </p>
      ) : null}
    </section>
  );
}
