// Every key is used, Spanish has exactly the English keys with the same placeholders, and plurals
// follow each language's rules.
import { describe, expect, it } from "vitest";
import { languageOf, startingLanguage, translator } from ".";
import { en } from "./en";
import { es } from "./es";

/** The UI's own source, without the catalogues (en*.ts, es*.ts) and tests. */
const sources = Object.entries(
  import.meta.glob<string>(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}", "!./en*.ts", "!./es*.ts"], {
    query: "?raw",
    import: "default",
    eager: true,
  }),
)
  .map(([, text]) => text)
  .join("\n");

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the catalogues", () => {
  it("use every key somewhere in the UI", () => {
    const unused = Object.keys(en).filter((key) => {
      // A plural pair is used through its base: t.plural("stop.title", n).
      const base = key.replace(/_(one|other)$/, "");
      return !sources.includes(`"${key}"`) && !sources.includes(`"${base}"`);
    });
    expect(unused).toEqual([]);
  });

  it("give Spanish exactly the English keys, each with the same placeholders", () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const [key, message] of Object.entries(en)) {
      const spanish = es[key as keyof typeof en];
      expect(spanish.trim(), key).not.toBe("");
      expect(placeholders(spanish), key).toEqual(placeholders(message));
    }
  });
});

describe("translator", () => {
  it("fills placeholders and picks plurals by the language's rules", () => {
    const t = translator("es");
    expect(t("prefs.language.system", { language: "Español" })).toBe("Igual que el escritorio (Español)");
    expect(t.plural("stop.title", 1)).toBe("¿Detener la emisión en 1 plataforma?");
    expect(t.plural("stop.title", 5)).toBe("¿Detener la emisión en 5 plataformas?");
    expect(translator("en").plural("stop.title", 0)).toBe("Stop the stream on 0 platforms?");
  });

  it("maps the desktop's language tags onto the ones the studio speaks", () => {
    expect(languageOf("es-MX")).toBe("es");
    expect(languageOf("en-GB")).toBe("en");
    expect(languageOf("fr-FR")).toBe("en");
    expect(languageOf(undefined)).toBe("en");
  });

  it("starts in the language the studio gave the page before it loaded, not the webview's", () => {
    const page = globalThis as { __studioLanguage?: unknown };
    try {
      page.__studioLanguage = "es";
      expect(startingLanguage()).toBe("es");
      // Anything else is not taken: the webview's language (jsdom's en-US) it is.
      page.__studioLanguage = "<img src=x>";
      expect(startingLanguage()).toBe("en");
      delete page.__studioLanguage;
      expect(startingLanguage()).toBe(languageOf(navigator.language));
    } finally {
      delete page.__studioLanguage;
    }
  });
});
