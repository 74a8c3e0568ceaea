// Pieces the moderation menu and the author view share: a refusal, a custom time-out, and the
// question before a ban.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { useT } from "../../i18n";
import { MAX_TIMEOUT_SECONDS, type Platform } from "../../ipc";
import { Dialog } from "../Dialog";
import { PLATFORM_NAMES } from "./platformNames";
import { Sentence } from "./Sentence";
import type { Refusal } from "./useModerate";

/** Minutes a time-out may last at most. */
export const MAX_TIMEOUT_MINUTES = Math.floor(MAX_TIMEOUT_SECONDS / 60);

/**
 * One thing to do. While a request is on its way it says it is unavailable but stays focusable, so
 * the keyboard's place is not lost, and a second press does nothing.
 */
export function Choice({
  testId,
  busy,
  onChoose,
  children,
}: {
  testId: string;
  busy: boolean;
  onChoose: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="secondary mod-choice"
      data-testid={testId}
      aria-disabled={busy}
      onClick={() => {
        if (!busy) onChoose();
      }}
    >
      {children}
    </button>
  );
}

/** Why a moderation was refused, and what to do. */
export function RefusalNotice({ refusal }: { refusal: Refusal }) {
  return (
    <div className="notice notice-error" role="alert" data-testid="mod-error">
      <p className="notice-cause">{refusal.cause}</p>
      <p className="notice-fix">{refusal.fix}</p>
    </div>
  );
}

/** A time-out of the streamer's length, in whole minutes; focus starts in the field. */
export function CustomTimeout({
  busy,
  onTimeout,
  onBack,
}: {
  busy: boolean;
  onTimeout: (seconds: number) => void;
  onBack: () => void;
}) {
  const t = useT();
  const [minutes, setMinutes] = useState("5");
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const n = Number(minutes);
  const valid = minutes.trim() !== "" && Number.isInteger(n) && n >= 1 && n <= MAX_TIMEOUT_MINUTES;
  return (
    <form
      className="mod-custom"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onTimeout(n * 60);
      }}
    >
      <label>
        {t("mod.minutes", { max: MAX_TIMEOUT_MINUTES })}
        <input
          ref={field}
          type="number"
          min={1}
          max={MAX_TIMEOUT_MINUTES}
          step={1}
          data-testid="mod-timeout-minutes"
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
        />
      </label>
      <button
        type="submit"
        className="mod-choice"
        data-testid="mod-timeout-custom-go"
        disabled={!valid || busy}
      >
        {t("mod.timeoutGo")}
      </button>
      <button type="button" className="secondary mod-choice" onClick={onBack}>
        {t("mod.back")}
      </button>
    </form>
  );
}

/**
 * "Ban {author} on {platform}?", over the whole window (a portal: the chat's rows are moved with
 * transforms, which would carry a fixed backdrop along). Cancel is focused first.
 */
export function BanQuestion({
  author,
  platform,
  onBan,
  onCancel,
}: {
  author: string;
  platform: Platform;
  onBan: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const heading = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const name = PLATFORM_NAMES[platform];
  return createPortal(
    <Dialog role="alertdialog" labelledBy={heading} testId="mod-ban-confirm" onEscape={onCancel}>
      <h2 id={heading}>
        <Sentence words={{ template: t("mod.ban.title", { platform: name }), author }} />
      </h2>
      <p>{t("mod.ban.body", { platform: name })}</p>
      <div className="dialog-actions">
        <button type="button" className="danger" data-testid="mod-ban-go" onClick={onBan}>
          {t("mod.ban.confirm")}
        </button>
        <button
          type="button"
          className="secondary"
          ref={cancel}
          data-testid="mod-ban-cancel"
          onClick={onCancel}
        >
          {t("common.cancel")}
        </button>
      </div>
    </Dialog>,
    document.body,
  );
}
