import { useCallback, useEffect, useState } from "react";
import { type AppError, ipc, type PlatformInfo, type ServiceStatus } from "../ipc";

export interface PlatformsState {
  platforms: PlatformInfo[];
  error: AppError | null;
  loading: boolean;
  reload: () => void;
}

/** The service's platforms, loaded whenever the service comes up (and on `reload`). */
export function usePlatforms(status: ServiceStatus | null): PlatformsState {
  const [platforms, setPlatforms] = useState<PlatformInfo[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const up = status?.state === "up";
  const apiBase = status?.state === "up" ? status.apiBase : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` and `apiBase` are triggers: a retry, or a different service.
  useEffect(() => {
    if (!up) return;
    let current = true;
    setLoading(true);
    ipc.platforms().then((result) => {
      if (!current) return;
      setLoading(false);
      if (result.ok) {
        setPlatforms(result.data);
        setError(null);
      } else {
        setError(result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [up, apiBase, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { platforms, error, loading, reload };
}
