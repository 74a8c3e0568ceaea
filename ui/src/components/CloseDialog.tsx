import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n";
import { ipc } from "../ipc";
import { Dialog } from "./Dialog";

/** Asks what closing the window while live should do: keep streaming, stop, or cancel. */
export function CloseDialog() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => ipc.onCloseRequestedWhileLive(() => setOpen(true)), []);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);

  if (!open) return null;
  const choose = async (choice: "keepStreaming" | "stopAndQuit" | "cancel") => {
    const result = await ipc.resolveClose(choice);
    if (result.ok) {
      setOpen(false);
      setProblem(null);
    } else {
      setProblem(`${result.error.cause} ${result.error.fix}`);
    }
  };
  return (
    <Dialog
      role="alertdialog"
      labelledBy="close-title"
      testId="close-dialog"
      onEscape={() => choose("cancel")}
    >
      <h2 id="close-title">{t("close.title")}</h2>
      <p>{t("close.body")}</p>
      {problem ? <p className="field-error">{problem}</p> : null}
      <div className="dialog-actions">
        <button type="button" ref={first} data-testid="close-keep" onClick={() => choose("keepStreaming")}>
          {t("close.keep")}
        </button>
        <button
          type="button"
          className="danger"
          data-testid="close-stop"
          onClick={() => choose("stopAndQuit")}
        >
          {t("close.stopAndQuit")}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="close-cancel"
          onClick={() => choose("cancel")}
        >
          {t("common.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
