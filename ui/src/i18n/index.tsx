// The window's words. Every string the UI shows is a key of the English catalogue (en.ts); the
// Spanish one is typed against it, so a key missing there fails the typecheck, and i18n.test.ts
// fails on a key no component uses.
import { createContext, type ReactNode, useContext, useMemo } from "react";
import { en } from "./en";
import { es } from "./es";

export type Language = "en" | "es";
export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const CATALOGUES: Record<Language, Messages> = { en, es };

type Vars = Record<string, string | number>;

/** `{name}` in a message becomes `vars.name`; a count is written the language's way. */
function fill(language: Language, message: string, vars: Vars | undefined): string {
  if (!vars) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? value.toLocaleString(language) : value;
  });
}

export interface Translate {
  (key: MessageKey, vars?: Vars): string;
  /** `key_one` or `key_other` (as the language's plural rules pick for `count`), with `{count}`. */
  plural: (key: PluralKey, count: number, vars?: Vars) => string;
  language: Language;
}

type PluralBase<K> = K extends `${infer Base}_one`
  ? `${Base}_other` extends MessageKey
    ? Base
    : never
  : never;
/** Keys that come in `_one` / `_other` pairs, named without the suffix. */
export type PluralKey = PluralBase<MessageKey>;

export function translator(language: Language): Translate {
  const messages = CATALOGUES[language];
  const rules = new Intl.PluralRules(language);
  const t = ((key: MessageKey, vars?: Vars) => fill(language, messages[key], vars)) as Translate;
  t.plural = (key, count, vars) => {
    const form = rules.select(count) === "one" ? "one" : "other";
    return fill(language, messages[`${key}_${form}` as MessageKey], { count, ...vars });
  };
  t.language = language;
  return t;
}

/** The language of a BCP 47 tag the studio speaks, else English. */
export function languageOf(tag: string | undefined): Language {
  return tag?.toLowerCase().startsWith("es") ? "es" : "en";
}

/**
 * The language to start in: the one the studio gave the page before it loaded (the streamer's
 * choice, else the desktop's), else the webview's.
 */
export function startingLanguage(): Language {
  const given = (globalThis as { __studioLanguage?: unknown }).__studioLanguage;
  return given === "en" || given === "es" ? given : languageOf(globalThis.navigator?.language);
}

const I18n = createContext<Translate>(translator(startingLanguage()));

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const t = useMemo(() => translator(language), [language]);
  return <I18n.Provider value={t}>{children}</I18n.Provider>;
}

/** The words in the window's language. */
export function useT(): Translate {
  return useContext(I18n);
}
