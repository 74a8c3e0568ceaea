import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n";
import { useAction } from "../shortcuts";
import { Dialog } from "./Dialog";

/**
 * Stop asked for by a shortcut or the tray, where a stray key must not end a stream: confirmed
 * here first. (The Stop button in the stream's card is a deliberate click and stops at once.)
 */
export function StopDialog({
  live,
  platforms,
  onStop,
}: {
  live: boolean;
  platforms: number;
  onStop: () => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  useAction("stop", () => {
    if (live) setOpen(true);
  });
  useEffect(() => {
    if (open) keep.current?.focus();
  }, [open]);
  useEffect(() => {
    if (!live) setOpen(false);
  }, [live]);
  if (!open) return null;
  return (
    <Dialog role="alertdialog" labelledBy="stop-title" testId="stop-dialog" onEscape={() => setOpen(false)}>
      <h2 id="stop-title">{t.plural("stop.title", platforms)}</h2>
      <div className="dialog-actions">
        <button
          type="button"
          className="danger"
          data-testid="stop-confirm"
          onClick={() => {
            setOpen(false);
            onStop();
          }}
        >
          {t("stop.confirm")}
        </button>
        {/* Focused first: Enter after a stray shortcut keeps the stream. */}
        <button
          type="button"
          className="secondary"
          ref={keep}
          data-testid="stop-cancel"
          onClick={() => setOpen(false)}
        >
          {t("stop.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
