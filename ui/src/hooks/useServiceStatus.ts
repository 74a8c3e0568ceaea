import { useEffect, useState } from "react";
import { takeBootStatus } from "../boot";
import { ipc, type ServiceStatus } from "../ipc";
import { markStart } from "../startMarks";

/** The service the studio talks to: a snapshot at mount, then every change Rust reports. */
export function useServiceStatus(): ServiceStatus | null {
  const [status, setStatus] = useState<ServiceStatus | null>(null);
  useEffect(() => {
    markStart("first-commit");
    let eventSeen = false;
    let mounted = true;
    const unsubscribe = ipc.onServiceStatusChanged((next) => {
      eventSeen = true;
      setStatus(next);
    });
    (takeBootStatus() ?? ipc.serviceStatus())
      .then((snapshot) => {
        // An event that arrived while the snapshot was in flight is newer than it.
        markStart("status-known");
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
