import { useEffect, useState } from "react";
import { ipc, type ServiceStatus } from "../ipc";

/** The service the studio talks to: a snapshot at mount, then every change Rust reports. */
export function useServiceStatus(): ServiceStatus | null {
  const [status, setStatus] = useState<ServiceStatus | null>(null);
  useEffect(() => {
    let eventSeen = false;
    let mounted = true;
    const unsubscribe = ipc.onServiceStatusChanged((next) => {
      eventSeen = true;
      setStatus(next);
    });
    ipc
      .serviceStatus()
      .then((snapshot) => {
        // An event that arrived while the snapshot was in flight is newer than it.
        if (mounted && !eventSeen) setStatus(snapshot);
      })
      .catch((reason) => console.error("service status", reason));
    return () => {
      mounted = false;
      unsubscribe();
    };
  }, []);
  return status;
}
