import { useNow, useReached } from "../hooks/useNow";
import { type MessageKey, useT } from "../i18n";
import { ipc, type Job, type Platform, type Viewers } from "../ipc";
import { BannerEditor } from "./BannerEditor";

interface Props {
  job: Job;
  names: Partial<Record<Platform, string>>;
  clockOffsetMs: number;
  viewers: Viewers | null;
  superseded: string | null;
  busy: boolean;
  onStop: () => void;
  onRetry: (platform: Platform) => void;
}

const STATUS_TEXT: Record<Job["status"], MessageKey> = {
  queued: "job.status.queued",
  running: "job.status.running",
  stopping: "job.status.stopping",
  stopped: "job.status.stopped",
  failed: "job.status.failed",
  ended: "job.status.ended",
};

type BroadcastStatus = NonNullable<Job["broadcasts"]>[number]["status"];

const BROADCAST_TEXT: Record<BroadcastStatus, MessageKey> = {
  connecting: "job.broadcast.connecting",
  live: "job.broadcast.live",
  failed: "job.broadcast.failed",
  stopped: "job.broadcast.stopped",
};

const MINUTE_MS = 60_000;

/**
 * How long the stream has been live, in whole minutes on the service's clock, ticking on the
 * minute the text changes. OBS beside the studio shows the seconds; a second-by-second clock here
 * costs a repaint a second for the whole stream.
 */
function useLiveFor(startedAt: number | null | undefined, live: boolean, offsetMs: number): string | null {
  const t = useT();
  // The service's start on this machine's clock: the minutes turn over at its multiples.
  const startedHere = (startedAt ?? 0) - offsetMs;
  const now = useNow(MINUTE_MS, live && !!startedAt, startedHere);
  if (!startedAt) return null;
  const minutes = Math.max(0, Math.floor((now - startedHere) / MINUTE_MS));
  if (minutes < 1) return t("job.liveUnderMinute");
  if (minutes < 60) return t("job.liveMinutes", { minutes });
  return t("job.liveHours", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/** "Live for 1 h 23 min", in a component of its own so the clock's tick re-renders this line only. */
function Elapsed({
  startedAt,
  live,
  clockOffsetMs,
}: {
  startedAt: number | null | undefined;
  live: boolean;
  clockOffsetMs: number;
}) {
  const liveFor = useLiveFor(startedAt, live, clockOffsetMs);
  return liveFor ? (
    <p className="muted elapsed" data-testid="elapsed">
      {liveFor}
    </p>
  ) : null;
}

/** Counts are polled about every 10 s; older than this, the streamer is told how old. */
const VIEWERS_STALE_MS = 30_000;

/** A quiet "last updated" when viewer polling falls behind (the service's clock). */
function ViewersAge({
  updatedAt,
  clockOffsetMs,
  live,
}: {
  updatedAt: number;
  clockOffsetMs: number;
  live: boolean;
}) {
  const t = useT();
  // Nothing ticks while the counts are fresh: one timer waits for them to go stale.
  const staleAt = updatedAt - clockOffsetMs + VIEWERS_STALE_MS;
  const stale = useReached(live ? staleAt : null);
  const now = useNow(5000, live && stale, staleAt);
  if (!live || !stale) return null;
  // The first stale draw may come before the clock is read again: it is at least this old.
  const age = Math.max(now, staleAt) + clockOffsetMs - updatedAt;
  const words =
    age < 120_000
      ? t("job.updatedSecondsAgo", { seconds: Math.round(age / 1000) })
      : t("job.updatedMinutesAgo", { minutes: Math.round(age / 60_000) });
  return (
    <span className="muted" data-testid="viewers-stale">
      {" "}
      · {words}
    </span>
  );
}

export function JobPanel({ job, names, clockOffsetMs, viewers, superseded, busy, onStop, onRetry }: Props) {
  const t = useT();
  const active = job.status === "queued" || job.status === "running";
  return (
    <section className="card" aria-labelledby="job-heading">
      <h2 id="job-heading">
        {t("job.heading")} <span data-testid="job-status">{t(STATUS_TEXT[job.status])}</span>
      </h2>
      {active ? (
        <Elapsed startedAt={job.startedAt} live={job.status === "running"} clockOffsetMs={clockOffsetMs} />
      ) : null}
      {job.supersededBy || superseded ? (
        <p className="notice" role="status">
          {t("job.superseded")}
        </p>
      ) : null}
      {job.error ? (
        <p className="notice notice-error" role="alert">
          {job.error.message}
        </p>
      ) : null}
      <ul className="destinations" data-testid="destinations">
        {(job.broadcasts ?? []).map((b) => (
          <li key={b.platform} data-platform={b.platform}>
            <span className="destination-state">
              <bdi className="platform-name">{names[b.platform] ?? b.platform}</bdi>
              <span className={`broadcast broadcast-${b.status}`}>{t(BROADCAST_TEXT[b.status])}</span>
              {viewers?.platforms?.[b.platform] !== undefined ? (
                <span className="muted">{t.plural("job.watching", viewers.platforms[b.platform] ?? 0)}</span>
              ) : null}
            </span>
            {b.error ? <bdi className="field-error">{b.error.message}</bdi> : null}
            {b.watchUrl && b.status === "live" ? (
              <button
                type="button"
                className="secondary destination-action"
                onClick={() => ipc.openWatchPage(b.platform)}
              >
                {t("job.watchOn", { platform: names[b.platform] ?? b.platform })}
              </button>
            ) : null}
            {b.status === "failed" && job.status === "running" ? (
              <button
                type="button"
                className="destination-action"
                data-testid={`retry-${b.platform}`}
                onClick={() => onRetry(b.platform)}
              >
                {t("job.retry")}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {viewers ? (
        <p data-testid="viewers-total">
          {t.plural("job.watchingTotal", viewers.total)}
          <ViewersAge updatedAt={viewers.updatedAt} clockOffsetMs={clockOffsetMs} live={active} />
        </p>
      ) : null}
      {active ? <BannerEditor job={job} /> : null}
      {active ? (
        <button type="button" className="danger" data-testid="stop" disabled={busy} onClick={onStop}>
          {t("job.stop")}
        </button>
      ) : null}
    </section>
  );
}
