// The start's steps as user-timing marks: WebKit's inspector shows them on its timeline, and the
// start figure in docs/benchmarks.md reads them. Each is marked once, the first time it happens;
// later reloads of the same data are not the start.

const marked = new Set<string>();

/** The start steps the window marks, in the order they happen. */
export type StartStep =
  | "ui-script"
  | "first-commit"
  | "status-known"
  | "platforms-answered"
  | "platforms-drawn";

/** Marks `step` now, unless it was marked before. */
export function markStart(step: StartStep): void {
  if (marked.has(step)) return;
  marked.add(step);
  performance.mark(step);
}

/**
 * Marks `step` at the start of the next frame: called once new rows are in the DOM, the mark
 * lands on the frame that paints them (the in-webview peer is timed the same way).
 */
export function markStartOnNextFrame(step: StartStep): void {
  if (marked.has(step)) return;
  marked.add(step);
  requestAnimationFrame(() => performance.mark(step));
}
