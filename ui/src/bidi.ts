// Hostile text must not reorder what is around it. A right-to-left override (U+202E) in an author's
// name would otherwise flip the time beside it ("evil admin" shown as "live admin", "9:26:30 PM"
// as "MP 03:62:9"). Text with an element of its own goes in `<bdi>`; text written into a sentence
// goes through `isolate`.

/** The bidi isolate controls (LRI, RLI, FSI, PDI). */
const ISOLATE_CONTROLS = /[\u2066-\u2069]/g;

/**
 * `text` as one isolated run inside a longer string (FSI … PDI: what `<bdi>` does for an
 * element). Isolate controls inside it are dropped, so it cannot close the run early.
 */
export function isolate(text: string): string {
  return `\u2068${text.replace(ISOLATE_CONTROLS, "")}\u2069`;
}
