import { useEffect, useState } from "react";
import { type AppError, type ImagePurpose, ipc, type Result } from "../ipc";

/** Answers already asked for, shared by every row: a chat shows the same avatars again and again. */
const asked = new Map<string, Promise<Result<string>>>();
/**
 * Images already come, by key, so a row drawn after its author's image came shows it in its first
 * render: no placeholder drawn and swapped a moment later, no second render per row.
 */
const shown = new Map<string, string>();
/** The length of each answer kept, and their sum. */
const lengths = new Map<string, number>();
let keptChars = 0;
export const ASKED_KEPT = 500;
/**
 * Characters of `data:` URLs kept at most. An image may be up to 256 KiB (a third more as
 * base64), so a count alone would let 500 of them hold hundreds of megabytes; typical avatars are
 * a few kilobytes, so this still keeps hundreds.
 */
export const IMAGE_CHARS_KEPT = 8 * 1024 * 1024;

function forget(key: string) {
  asked.delete(key);
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

function ask(url: string, purpose: ImagePurpose): Promise<Result<string>> {
  const key = keyOf(url, purpose);
  let answer = asked.get(key);
  if (!answer) {
    const pending = ipc.fetchImage(url, purpose);
    answer = pending;
    asked.set(key, pending);
    pending.then((result) => {
      // Forgotten meanwhile (a change of service), or replaced: nothing to count.
      if (asked.get(key) !== pending) return;
      // A refusal is not kept here: Rust remembers it for a minute, then tries again.
      if (!result.ok) {
        forget(key);
        return;
      }
      shown.set(key, result.data);
      lengths.set(key, result.data.length);
      keptChars += result.data.length;
      trim(key);
    });
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

/** An image fetched by Rust, as a `data:` URL (the window loads nothing remote itself). */
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
  asked.clear();
  shown.clear();
  lengths.clear();
  keptChars = 0;
}
