import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n";
import { GO_LIVE_KEYS, STOP_KEYS } from "../ipc";
import { chord, keyStyle, keysIn, SHORTCUTS, useAction } from "../shortcuts";
import { Dialog } from "./Dialog";

/** The keyboard shortcuts, listed (F1 or the header's "Shortcuts" button opens it). */
export function HelpOverlay({ globalShortcuts }: { globalShortcuts: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const close = useRef<HTMLButtonElement>(null);
  useAction("help", () => setOpen((was) => !was));
  useEffect(() => {
    if (open) close.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <Dialog role="dialog" labelledBy="help-title" testId="help-overlay" onEscape={() => setOpen(false)}>
      <h2 id="help-title">{t("shortcuts.heading")}</h2>
      <dl className="shortcut-list">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.action}>
            <dt>
              <kbd>{shortcut.keys}</kbd>
            </dt>
            <dd>{t(shortcut.label)}</dd>
          </div>
        ))}
        <div>
          <dt>
            <kbd>{chord(keyStyle(), "Enter", false, false)}</kbd>
          </dt>
          <dd>{t("shortcuts.send")}</dd>
        </div>
        <div>
          <dt>
            <kbd>{chord(keyStyle(), "Enter", true, false)}</kbd>
          </dt>
          <dd>{t("shortcuts.newLine")}</dd>
        </div>
      </dl>
      <p className="muted">
        {t(globalShortcuts ? "shortcuts.globalOn" : "shortcuts.globalOff", {
          goLive: keysIn(keyStyle(), GO_LIVE_KEYS),
          stop: keysIn(keyStyle(), STOP_KEYS),
        })}
      </p>
      <button type="button" ref={close} data-testid="help-close" onClick={() => setOpen(false)}>
        {t("common.close")}
      </button>
    </Dialog>
  );
}
