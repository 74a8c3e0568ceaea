import { useEffect, useState } from "react";
import { type AppError, type ImagePurpose, ipc, type Result } from "../ipc";

/** Answers already asked for, shared by every row: a chat shows the same avatars again and again. */
const asked = new Map<string, Promise<Result<string>>>();
const ASKED_KEPT = 500;

function ask(url: string, purpose: ImagePurpose): Promise<Result<string>> {
  const key = `${purpose} ${url}`;
  let answer = asked.get(key);
  if (!answer) {
    answer = ipc.fetchImage(url, purpose);
    asked.set(key, answer);
    // A refusal is not kept here: Rust remembers it for a minute, then tries again.
    answer.then((result) => {
      if (!result.ok) asked.delete(key);
    });
    // Oldest first out: a Map iterates in insertion order.
    if (asked.size > ASKED_KEPT) asked.delete(asked.keys().next().value as string);
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

/** Forgets every answer (tests, and a change of service). */
export function forgetImages() {
  asked.clear();
}
