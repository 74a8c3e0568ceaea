// WCAG AA contrast of every text-on-background pairing the page uses, computed from the theme
// tokens in styles.css, in both themes: a new colour cannot slip under the bar unnoticed.
import { describe, expect, it } from "vitest";
import css from "./styles.css?raw";

type Tokens = Map<string, string>;

/** The custom properties declared in the first block whose selector is exactly `selector`. */
function block(selector: string): Tokens {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`styles.css has no ${selector} block`);
  const body = css.slice(css.indexOf("{", start) + 1, css.indexOf("}", start));
  const tokens: Tokens = new Map();
  for (const match of body.matchAll(/--([\w-]+):\s*([^;]+);/g)) {
    tokens.set(match[1] as string, (match[2] as string).trim());
  }
  return tokens;
}

const light = block(":root");
const dark = new Map([...light, ...block(':root[data-theme="dark"]')]);

/** A token as [r, g, b], following var() references. */
function rgb(tokens: Tokens, name: string): [number, number, number] {
  const value = tokens.get(name);
  if (value === undefined) throw new Error(`no --${name} token`);
  const reference = /^var\(--([\w-]+)\)$/.exec(value);
  if (reference) return rgb(tokens, reference[1] as string);
  const hex = /^#([0-9a-f]{6})$/i.exec(value);
  if (!hex) throw new Error(`--${name} is ${value}: the test reads #rrggbb or var()`);
  const n = Number.parseInt(hex[1] as string, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance([r, g, b]: [number, number, number]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Text and what it is drawn on (4.5:1), as styles.css pairs them. */
const TEXT: [string, string][] = [
  ["text", "bg"],
  ["text", "surface"],
  ["muted", "bg"],
  ["muted", "surface"],
  ["accent-text", "surface"],
  ["accent-text", "bg"],
  ["on-accent", "accent"],
  ["on-danger", "danger"],
  ["danger-text", "danger-bg"],
  ["danger-text", "surface"],
  ["ok", "surface"],
  ["ok", "bg"],
  ["on-badge", "twitch-badge"],
  ["on-badge", "kick-badge"],
  ["on-badge", "youtube-badge"],
  ["on-badge", "facebook-badge"],
  ["on-badge", "instagram-badge"],
];

/** Edges and rings that show where a control is (3:1, WCAG 1.4.11). */
const NON_TEXT: [string, string][] = [
  ["control-border", "surface"],
  ["control-border", "bg"],
  ["focus", "surface"],
  ["focus", "bg"],
];

describe.each([
  ["light", light],
  ["dark", dark],
])("the %s theme", (_name, tokens) => {
  it.each(TEXT)("--%s on --%s reaches 4.5:1", (fg, bg) => {
    expect(contrast(rgb(tokens, fg), rgb(tokens, bg))).toBeGreaterThanOrEqual(4.5);
  });
  it.each(NON_TEXT)("--%s against --%s reaches 3:1", (fg, bg) => {
    expect(contrast(rgb(tokens, fg), rgb(tokens, bg))).toBeGreaterThanOrEqual(3);
  });
});

it("computes WCAG's own examples", () => {
  expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
  expect(contrast([119, 119, 119], [255, 255, 255])).toBeCloseTo(4.48, 2);
});
