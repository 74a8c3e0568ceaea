// What the window needs first, asked before React renders anything: the service's status and,
// once it is up, its platforms. The two round trips then overlap the first render and paint
// instead of waiting for them (React runs effects only after the first paint), which took a
// tenth of the start (docs/benchmarks.md, "Where the start's time goes"). The hooks take these
// answers once; every later read asks Rust again.

import { ipc, type PlatformInfo, type Result, type ServiceStatus } from "./ipc";

let status: Promise<ServiceStatus> | null = null;
let platforms: { apiBase: string; answer: Promise<Result<PlatformInfo[]>> } | null = null;

/** Asks for the status, then the platforms if the service is up. Called once, at start. */
export function startBoot(): void {
  status = ipc.serviceStatus();
  status
    .then((known) => {
      if (known.state === "up") platforms = { apiBase: known.apiBase, answer: ipc.platforms() };
    })
    // useServiceStatus reports a failed ask; here it only means there is nothing to prefetch.
    .catch(() => {});
}

/** The status asked at start, the first time it is wanted; `null` after (or without a start). */
export function takeBootStatus(): Promise<ServiceStatus> | null {
  const taken = status;
  status = null;
  return taken;
}

/**
 * The platforms asked at start and the service they were asked of, the first time they are
 * wanted; `null` after, or when the service was not up at start.
 */
export function takeBootPlatforms(): {
  apiBase: string;
  answer: Promise<Result<PlatformInfo[]>>;
} | null {
  const taken = platforms;
  platforms = null;
  return taken;
}
