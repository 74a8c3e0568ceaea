// The overlay form as typed, and the settings it stands for. Numbers stay text while they are
// typed (clearing a field must not turn it into 0), and are read when saved; what the form can
// judge on its own is said at the field, the rest Rust judges when it saves.
import type { Translate } from "../../i18n";
import { MAX_HOLD_SECONDS, MAX_OVERLAY_LINES, type OverlaySettings, type OverlayTheme } from "../../ipc";

export const MIN_PORT = 1024;
export const MAX_PORT = 65535;

export interface OverlayDraft {
  enabled: boolean;
  /** Empty while the studio has not chosen a port yet (saved as 0, so it chooses one). */
  port: string;
  holdSeconds: string;
  hideCommands: boolean;
  /** One name a line. */
  hiddenUsers: string;
  fadeSeconds: string;
  maxLines: string;
  fontSize: string;
  theme: OverlayTheme;
  textColor: string;
  rowColor: string;
  badges: boolean;
}

export type NumberField = "port" | "holdSeconds" | "fadeSeconds" | "maxLines" | "fontSize";
export type FieldProblems = Partial<Record<NumberField, string>>;

export function draftOf(settings: OverlaySettings): OverlayDraft {
  return {
    ...settings,
    port: settings.port === 0 ? "" : String(settings.port),
    holdSeconds: String(settings.holdSeconds),
    hiddenUsers: settings.hiddenUsers.join("\n"),
    fadeSeconds: String(settings.fadeSeconds),
    maxLines: String(settings.maxLines),
    fontSize: String(settings.fontSize),
  };
}

/** A whole number as typed, or `null`. */
function whole(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
}

/** What is wrong with the numbers as typed, field by field (empty: nothing). */
export function problemsOf(t: Translate, draft: OverlayDraft, portChosen: boolean): FieldProblems {
  const problems: FieldProblems = {};
  const port = whole(draft.port);
  const portUnset = draft.port.trim() === "" && !portChosen;
  if (!portUnset && (port === null || port < MIN_PORT || port > MAX_PORT)) {
    problems.port = t("overlay.portProblem");
  }
  const hold = whole(draft.holdSeconds);
  if (hold === null || hold > MAX_HOLD_SECONDS) {
    problems.holdSeconds = t("overlay.holdProblem", { max: MAX_HOLD_SECONDS });
  }
  if (whole(draft.fadeSeconds) === null) problems.fadeSeconds = t("overlay.wholeNumber");
  const lines = whole(draft.maxLines);
  if (lines === null || lines < 1 || lines > MAX_OVERLAY_LINES) {
    problems.maxLines = t("overlay.maxLinesProblem", { max: MAX_OVERLAY_LINES });
  }
  if (whole(draft.fontSize) === null) problems.fontSize = t("overlay.wholeNumber");
  return problems;
}

/** The settings `draft` stands for; call once `problemsOf` found nothing. */
export function settingsOf(draft: OverlayDraft): OverlaySettings {
  return {
    ...draft,
    port: whole(draft.port) ?? 0,
    holdSeconds: whole(draft.holdSeconds) ?? 0,
    hiddenUsers: draft.hiddenUsers
      .split("\n")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
    fadeSeconds: whole(draft.fadeSeconds) ?? 0,
    maxLines: whole(draft.maxLines) ?? 0,
    fontSize: whole(draft.fontSize) ?? 0,
  };
}

/** The address with its secret hidden: enough to see the port, nothing to copy. */
export function maskedAddress(port: number): string {
  return `http://127.0.0.1:${port}/overlay/••••••••/chat`;
}
