// One formatter for every row: building one per call is the costly part of formatting a time.
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** `ms` as the time of day, in the desktop's way. */
export function clock(ms: number): string {
  return CLOCK.format(ms);
}
