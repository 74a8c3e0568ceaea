import { useId } from "react";
import { useT } from "../../i18n";
import type { OverlayTheme } from "../../ipc";
import type { OverlayDraft } from "./overlayDraft";

/** A whole number kept as typed, with what is wrong with it said under it. */
export function NumberText({
  testId,
  label,
  hint,
  value,
  placeholder,
  problem,
  onChange,
}: {
  testId: string;
  label: string;
  hint?: string;
  value: string;
  placeholder?: string;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  const described = useId();
  const hintId = useId();
  return (
    <label>
      {label}
      <input
        data-testid={testId}
        inputMode="numeric"
        aria-invalid={problem !== undefined}
        aria-describedby={[hint ? hintId : "", problem ? described : ""].join(" ").trim() || undefined}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint ? (
        <span className="muted" id={hintId}>
          {hint}
        </span>
      ) : null}
      {problem ? (
        <span className="field-error" id={described} data-testid={`${testId}-problem`}>
          {problem}
        </span>
      ) : null}
    </label>
  );
}

const THEMES: Array<[OverlayTheme, "overlay.theme.dark" | "overlay.theme.light" | "overlay.theme.custom"]> = [
  ["dark", "overlay.theme.dark"],
  ["light", "overlay.theme.light"],
  ["custom", "overlay.theme.custom"],
];

/** Dark, light, or the streamer's colours (text, and each message's background). */
export function ThemeChoice({
  draft,
  onChange,
}: {
  draft: OverlayDraft;
  onChange: (change: Partial<OverlayDraft>) => void;
}) {
  const t = useT();
  return (
    <fieldset className="modes">
      <legend>{t("overlay.theme")}</legend>
      {THEMES.map(([theme, label]) => (
        <label key={theme} className="check">
          <input
            type="radio"
            name="overlay-theme"
            data-testid={`overlay-theme-${theme}`}
            checked={draft.theme === theme}
            onChange={() => onChange({ theme })}
          />
          {t(label)}
        </label>
      ))}
      {draft.theme === "custom" ? (
        <>
          <label>
            {t("overlay.textColor")}
            <input
              data-testid="overlay-text-color"
              spellCheck={false}
              value={draft.textColor}
              onChange={(event) => onChange({ textColor: event.target.value })}
            />
          </label>
          <label>
            {t("overlay.rowColor")}
            <input
              data-testid="overlay-row-color"
              spellCheck={false}
              value={draft.rowColor}
              onChange={(event) => onChange({ rowColor: event.target.value })}
            />
          </label>
        </>
      ) : null}
    </fieldset>
  );
}
