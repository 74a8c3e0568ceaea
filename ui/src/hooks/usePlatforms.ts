import { useCallback, useEffect, useRef, useState } from "react";
import { takeBootPlatforms } from "../boot";
import { type AppError, ipc, type PlatformInfo, type Result, type ServiceStatus } from "../ipc";
import { markStart } from "../startMarks";

export interface PlatformsState {
  platforms: PlatformInfo[];
  error: AppError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * The service's platforms, loaded whenever the service comes up (and on `reload`). At start the
 * answer asked before the window rendered (boot.ts) is taken at mount, so it lands in the same
 * render as the service's status rather than one render and paint after it.
 */
export function usePlatforms(status: ServiceStatus | null): PlatformsState {
  const [platforms, setPlatforms] = useState<PlatformInfo[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const apiBase = status?.state === "up" ? status.apiBase : null;
  // Only the latest ask's answer is shown: a newer one (another service, a retry) or an unmount
  // makes earlier answers stale.
  const latest = useRef(0);
  // The start's ask, while it is the latest: it already covers its service.
  const bootAsk = useRef<{ apiBase: string; ask: number } | null>(null);

  const load = useCallback((answer: Promise<Result<PlatformInfo[]>>) => {
    latest.current += 1;
    const ask = latest.current;
    setLoading(true);
    answer.then((result) => {
      if (ask !== latest.current) return;
      setLoading(false);
      if (result.ok) {
        markStart("platforms-answered");
        setPlatforms(result.data);
        setError(null);
      } else {
        setError(result.error);
      }
    });
    return ask;
  }, []);

  useEffect(() => {
    const early = takeBootPlatforms();
    if (early) bootAsk.current = { apiBase: early.apiBase, ask: load(early.answer) };
    return () => {
      latest.current += 1;
    };
  }, [load]);

  useEffect(() => {
    if (apiBase === null) return;
    const early = bootAsk.current;
    // Used once: the same service coming up again later (a restart) is asked again.
    bootAsk.current = null;
    if (attempt === 0 && early?.apiBase === apiBase && early.ask === latest.current) return;
    load(ipc.platforms());
  }, [apiBase, attempt, load]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { platforms, error, loading, reload };
}
