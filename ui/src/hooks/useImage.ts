import { useEffect, useState } from "react";
import { type AppError, type ImagePurpose, ipc, type Result } from "../ipc";

/** Answers already asked for, shared by every row: a chat shows the same avatars again and again. */
const asked = new Map<string, Promise<Result<string>>>();
/**
 * Images already come, by key, so a row drawn after its author's image came shows it in its first
 * render: no placeholder drawn and swapped a moment later, no second render per row. Each is shown
 * from an object URL made once from its `data:` URL (see `objectUrlOf`), revoked when forgotten.
 */
const shown = new Map<string, string>();
/** The length of each answer kept, and their sum. */
const lengths = new Map<string, number>();
let keptChars = 0;
export const ASKED_KEPT = 500;
/**
 * Characters of the `data:` URLs answered, kept at most (each is held as its bytes, behind its
 * object URL). An image may be up to 256 KiB (a third more as base64), so a count alone would let
 * 500 of them hold hundreds of megabytes; typical avatars are a few kilobytes, so this still keeps
 * hundreds.
 */
export const IMAGE_CHARS_KEPT = 8 * 1024 * 1024;

function forget(key: string) {
  asked.delete(key);
  revoke(shown.get(key));
  shown.delete(key);
  keptChars -= lengths.get(key) ?? 0;
  lengths.delete(key);
}

/** Drops the oldest answers (a Map iterates in insertion order) until both bounds hold. */
function trim(newest: string) {
  for (const key of asked.keys()) {
    if (asked.size <= ASKED_KEPT && keptChars <= IMAGE_CHARS_KEPT) return;
    if (key !== newest) forget(key);
  }
}

function keyOf(url: string, purpose: ImagePurpose): string {
  return `${purpose} ${url}`;
}

/**
 * An object URL for the image in a base64 `data:` URL, or null where there is none to make.
 *
 * WebKit tells the app of every load of a `data:` image, even one drawn from its memory cache: it
 * remembers which addresses it told of, but not `data:` ones (too long to keep). Each row's avatar
 * sent four messages to the app, each carrying the whole URL: about 230 a second at 50 comments/s
 * (docs/benchmarks.md, "Fewer messages between WebKit's processes"). An object URL is short, so
 * each image is told of once, and a row after that draws it from the memory cache.
 */
function objectUrlOf(dataUrl: string): string | null {
  const parts = /^data:([^;,]+);base64,/.exec(dataUrl);
  if (!parts || typeof URL.createObjectURL !== "function") return null;
  try {
    const bytes = Uint8Array.from(atob(dataUrl.slice(parts[0].length)), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: parts[1] }));
  } catch {
    // Not base64 after all: the `data:` URL draws it (or shows it is broken) as it is.
    return null;
  }
}

function revoke(src: string | undefined) {
  if (src?.startsWith("blob:")) URL.revokeObjectURL(src);
}

function ask(url: string, purpose: ImagePurpose): Promise<Result<string>> {
  const key = keyOf(url, purpose);
  let answer = asked.get(key);
  if (!answer) {
    const pending: Promise<Result<string>> = ipc.fetchImage(url, purpose).then((result) => {
      // Forgotten meanwhile (a change of service, or trimmed), or replaced: nothing to keep, and
      // whoever waited draws the `data:` URL itself.
      if (asked.get(key) !== pending) return result;
      // A refusal is not kept here: Rust remembers it for a minute, then tries again.
      if (!result.ok) {
        forget(key);
        return result;
      }
      const src = objectUrlOf(result.data) ?? result.data;
      shown.set(key, src);
      lengths.set(key, result.data.length);
      keptChars += result.data.length;
      trim(key);
      return { ok: true, data: src };
    });
    answer = pending;
    asked.set(key, pending);
    trim(key);
  }
  return answer;
}

export type ImageState =
  | { state: "none" }
  | { state: "loading" }
  | { state: "shown"; src: string }
  | { state: "refused"; error: AppError };

/** What is known of `url` now: shown if its image has come, else loading (or none without one). */
function known(url: string | null | undefined, purpose: ImagePurpose): ImageState {
  if (!url) return { state: "none" };
  const src = shown.get(keyOf(url, purpose));
  return src === undefined ? { state: "loading" } : { state: "shown", src };
}

/** Whether two states draw the same, so a state that changes nothing does not render again. */
function same(a: ImageState, b: ImageState): boolean {
  return a.state === b.state && (a.state !== "shown" || (b.state === "shown" && a.src === b.src));
}

/**
 * An image fetched by Rust, which hands it over as a `data:` URL (the window loads nothing remote
 * itself), shown from an object URL made from it.
 */
export function useImage(url: string | null | undefined, purpose: ImagePurpose): ImageState {
  const [image, setImage] = useState<ImageState>(() => known(url, purpose));
  useEffect(() => {
    const now = known(url, purpose);
    setImage((was) => (same(was, now) ? was : now));
    if (!url || now.state === "shown") return;
    let current = true;
    ask(url, purpose).then((result) => {
      if (!current) return;
      setImage(result.ok ? { state: "shown", src: result.data } : { state: "refused", error: result.error });
    });
    return () => {
      current = false;
    };
  }, [url, purpose]);
  return image;
}

/** How many answers are kept, and their characters (for tests and diagnostics). */
export function imagesKept(): { count: number; chars: number } {
  return { count: asked.size, chars: keptChars };
}

/** Forgets every answer (tests, and a change of service: its images may differ). */
export function forgetImages() {
  for (const src of shown.values()) revoke(src);
  asked.clear();
  shown.clear();
  lengths.clear();
  keptChars = 0;
}
