import { useEffect, useRef, useState } from "react";
import { useT } from "../../i18n";
import { type AppError, ipc, type OverlayView } from "../../ipc";
import { Dialog } from "../Dialog";
import { ErrorNotice } from "../ErrorNotice";
import { maskedAddress } from "./overlayDraft";

/**
 * The page's address, shown masked: it holds a secret, so it is asked of Rust only to copy it or
 * to preview the page, and never kept in the window's state longer than that needs.
 */
export function OverlayAddress({ port, onView }: { port: number; onView: (view: OverlayView) => void }) {
  const t = useT();
  const [copy, setCopy] = useState<{ state: "copied" } | { state: "byHand"; address: string } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [asking, setAsking] = useState(false);
  const [rotated, setRotated] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  const byHand = useRef<HTMLInputElement>(null);
  const rotateButton = useRef<HTMLButtonElement>(null);
  const closeQuestion = () => {
    setAsking(false);
    rotateButton.current?.focus();
  };
  useEffect(() => {
    if (copy?.state !== "byHand") return;
    byHand.current?.focus();
    byHand.current?.select();
  }, [copy]);
  const address = async (): Promise<string | null> => {
    setError(null);
    const result = await ipc.overlayAddress();
    if (!result.ok) setError(result.error);
    return result.ok ? result.data : null;
  };
  const copyAddress = async () => {
    setCopy(null);
    const full = await address();
    if (full === null) return;
    try {
      await navigator.clipboard.writeText(full);
      setCopy({ state: "copied" });
    } catch {
      setCopy({ state: "byHand", address: full });
    }
  };
  const rotate = async () => {
    closeQuestion();
    setError(null);
    const result = await ipc.rotateOverlayAddress();
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onView(result.data);
    setCopy(null);
    setRotated(true);
    // An open preview showed the old address, which stopped working.
    if (preview !== null) setPreview(await address());
  };
  return (
    <div className="overlay-address">
      <p>
        {t("overlay.address")} <code data-testid="overlay-masked-address">{maskedAddress(port)}</code>
      </p>
      <div className="browser-wait-actions">
        <button type="button" data-testid="overlay-copy" onClick={copyAddress}>
          {t("overlay.copy")}
        </button>
        <button
          ref={rotateButton}
          type="button"
          className="secondary"
          data-testid="overlay-rotate"
          onClick={() => setAsking(true)}
        >
          {t("overlay.rotate")}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="overlay-preview"
          aria-expanded={preview !== null}
          onClick={async () => setPreview(preview === null ? await address() : null)}
        >
          {preview === null ? t("overlay.preview.show") : t("overlay.preview.hide")}
        </button>
      </div>
      <p className="muted" role="status" data-testid="overlay-copied">
        {copy?.state === "copied" ? t("overlay.copied") : null}
        {copy?.state === "byHand" ? t("overlay.copyByHand") : null}
        {rotated && copy === null ? t("overlay.rotated") : null}
      </p>
      {copy?.state === "byHand" ? (
        <input
          ref={byHand}
          readOnly
          className="browser-wait-url"
          aria-label={t("overlay.addressField")}
          data-testid="overlay-address-field"
          value={copy.address}
          onFocus={(event) => event.currentTarget.select()}
        />
      ) : null}
      {error ? <ErrorNotice error={error} testId="overlay-address-error" /> : null}
      {preview !== null ? (
        <iframe
          className="overlay-preview"
          data-testid="overlay-preview-frame"
          title={t("overlay.preview.title")}
          src={`${preview}?preview${t.language === "en" ? "" : `&lang=${t.language}`}`}
          width={400}
          height={300}
          referrerPolicy="no-referrer"
        />
      ) : null}
      {asking ? (
        <Dialog
          role="alertdialog"
          labelledBy="overlay-rotate-title"
          testId="overlay-rotate-dialog"
          onEscape={closeQuestion}
        >
          <h2 id="overlay-rotate-title">{t("overlay.rotate.title")}</h2>
          <p>{t("overlay.rotate.body")}</p>
          <div className="dialog-actions">
            <button type="button" className="danger" data-testid="overlay-rotate-confirm" onClick={rotate}>
              {t("overlay.rotate.confirm")}
            </button>
            <RotateCancel onCancel={closeQuestion} />
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

/** Focused first: Enter on a stray click keeps the address OBS uses. */
function RotateCancel({ onCancel }: { onCancel: () => void }) {
  const t = useT();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <button
      type="button"
      className="secondary"
      ref={button}
      data-testid="overlay-rotate-cancel"
      onClick={onCancel}
    >
      {t("common.cancel")}
    </button>
  );
}
