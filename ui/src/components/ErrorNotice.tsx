import type { AppError } from "../ipc";

interface Props {
  error: AppError;
  onRetry?: () => void;
}

/** An error in a streamer's words: what happened, what to do, and the status for support. */
export function ErrorNotice({ error, onRetry }: Props) {
  const status = error.status === 0 ? "no answer" : `HTTP ${error.status}`;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-cause">{error.cause}</p>
      <p className="notice-fix">{error.fix}</p>
      <p className="notice-detail">
        {status} · {error.code}
        {error.message && error.message !== error.cause ? ` · ${error.message}` : null}
      </p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
