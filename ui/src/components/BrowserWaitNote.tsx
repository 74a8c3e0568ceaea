import { useState } from "react";
import { useT } from "../i18n";
import type { BrowserWait } from "../ipc";

interface Props {
  wait: BrowserWait;
  onReopen: () => void;
  onCancel: () => void;
  /** Prefix of the test ids of its parts. */
  testId: string;
}

/**
 * A page waiting in the system browser, never a dead end: opening a browser can "succeed" with
 * nothing on screen (a browser that refuses to start, a closed tab). So the address is shown to
 * copy or open by hand, with Open again and Cancel, and after a while a hint at what went wrong.
 */
export function BrowserWaitNote({ wait, onReopen, onCancel, testId }: Props) {
  const t = useT();
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(wait.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="browser-wait" data-testid={testId}>
      <p className="muted" role="status">
        {wait.couldNotOpen
          ? t("browserWait.couldNotOpen", { why: wait.couldNotOpen })
          : t("browserWait.waiting")}
      </p>
      <input
        readOnly
        className="browser-wait-url"
        aria-label={t("browserWait.address")}
        data-testid={`${testId}-url`}
        value={wait.url}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="browser-wait-actions">
        <button type="button" className="secondary" data-testid={`${testId}-copy`} onClick={copy}>
          {t("browserWait.copy")}
        </button>
        <button type="button" className="secondary" data-testid={`${testId}-reopen`} onClick={onReopen}>
          {t("browserWait.reopen")}
        </button>
        <button type="button" className="secondary" data-testid={`${testId}-cancel`} onClick={onCancel}>
          {t("browserWait.cancel")}
        </button>
        {copied === true ? <span className="muted">{t("browserWait.copied")}</span> : null}
        {copied === false ? <span className="muted">{t("browserWait.copyByHand")}</span> : null}
      </div>
      {wait.slow && !wait.couldNotOpen ? (
        <p className="notice" role="note" data-testid={`${testId}-hint`}>
          {t("browserWait.hint")}
        </p>
      ) : null}
    </div>
  );
}
