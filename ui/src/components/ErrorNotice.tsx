import { useT } from "../i18n";
import type { AppError } from "../ipc";

interface Props {
  error: AppError;
  onRetry?: () => void;
  testId?: string;
}

/** An error in a streamer's words: what happened, what to do, and the status for support. */
export function ErrorNotice({ error, onRetry, testId }: Props) {
  const t = useT();
  const status = error.status === 0 ? t("error.noAnswer") : `HTTP ${error.status}`;
  // The window's own failure to reach Rust is worded here; every other error comes worded from Rust.
  const bridge = error.code === "bridge";
  return (
    <div className="notice notice-error" role="alert" data-testid={testId}>
      <p className="notice-cause">{bridge ? t("error.bridge.cause") : error.cause}</p>
      <p className="notice-fix">{bridge ? t("error.bridge.fix") : error.fix}</p>
      <p className="notice-detail">
        {status} · <bdi>{error.code}</bdi>
        {error.message && error.message !== error.cause ? (
          <>
            {" · "}
            <bdi>{error.message}</bdi>
          </>
        ) : null}
      </p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t("error.tryAgain")}
        </button>
      ) : null}
    </div>
  );
}
