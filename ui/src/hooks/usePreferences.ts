import { useCallback, useEffect, useState } from "react";
import { type Language, startingLanguage } from "../i18n";
import { ipc, type Preferences, type PreferencesView, type Result } from "../ipc";

export type Theme = "light" | "dark";

const DARK_QUERY = "(prefers-color-scheme: dark)";

/** The desktop's light or dark setting, followed as it changes. */
function useSystemTheme(): Theme {
  const query = typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const follow = (event: MediaQueryListEvent) => setDark(event.matches);
    query.addEventListener("change", follow);
    return () => query.removeEventListener("change", follow);
  }, [query]);
  return dark ? "dark" : "light";
}

export interface PreferencesState {
  /** `null` until Rust has answered. */
  view: PreferencesView | null;
  theme: Theme;
  language: Language;
  save: (preferences: Preferences) => Promise<Result<PreferencesView>>;
}

/**
 * The streamer's preferences, and the theme and language they make. The theme reaches the page as
 * `data-theme` on <html> (styles.css holds both themes' tokens), the language as `lang`.
 */
export function usePreferences(): PreferencesState {
  const [view, setView] = useState<PreferencesView | null>(null);
  const system = useSystemTheme();
  useEffect(() => {
    let current = true;
    ipc.preferences().then((loaded) => {
      if (current) setView(loaded);
    });
    return () => {
      current = false;
    };
  }, []);
  const chosen = view?.preferences;
  const theme: Theme = !chosen || chosen.theme === "system" ? system : chosen.theme;
  const language: Language = !chosen
    ? startingLanguage()
    : chosen.language === "system"
      ? view.systemLanguage
      : chosen.language;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const save = useCallback(async (preferences: Preferences) => {
    const saved = await ipc.savePreferences(preferences);
    if (saved.ok) setView(saved.data);
    return saved;
  }, []);
  return { view, theme, language, save };
}
