import { useEffect, useState } from "react";
import { type AppError, type ImagePurpose, ipc, type Result } from "../ipc";

/** Answers already asked for, shared by every row: a chat shows the same avatars again and again. */
const asked = new Map<string, Promise<Result<string>>>();
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

function ask(url: string, purpose: ImagePurpose): Promise<Result<string>> {
  const key = `${purpose} ${url}`;
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

/** An image fetched by Rust, as a `data:` URL (the window loads nothing remote itself). */
export function useImage(url: string | null | undefined, purpose: ImagePurpose): ImageState {
  const [image, setImage] = useState<ImageState>({ state: "none" });
  useEffect(() => {
    if (!url) {
      setImage({ state: "none" });
      return;
    }
    let current = true;
    setImage({ state: "loading" });
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
  lengths.clear();
  keptChars = 0;
}
