import { useEffect, useState } from "react";
import { DEEP_LINKS_KEPT, type DeepLinkReceived, ipc } from "../ipc";

/**
 * Merges `incoming` into `list` by sequence number, oldest first, without duplicates, keeping the
 * newest `DEEP_LINKS_KEPT` (as many as Rust keeps): links can arrive without end.
 */
export function mergeLinks(list: DeepLinkReceived[], incoming: DeepLinkReceived[]): DeepLinkReceived[] {
  const bySequence = new Map(list.map((link) => [link.sequence, link]));
  for (const link of incoming) bySequence.set(link.sequence, link);
  return [...bySequence.values()].sort((a, b) => a.sequence - b.sequence).slice(-DEEP_LINKS_KEPT);
}

/** Deep links the app received: the ones before mount, then each new one. */
export function useDeepLinks(): DeepLinkReceived[] {
  const [links, setLinks] = useState<DeepLinkReceived[]>([]);
  useEffect(() => {
    let mounted = true;
    const unsubscribe = ipc.onDeepLinkReceived((link) => setLinks((list) => mergeLinks(list, [link])));
    ipc
      .recentDeepLinks()
      .then((recent) => {
        if (mounted) setLinks((list) => mergeLinks(list, recent));
      })
      .catch((reason) => console.error("recent deep links", reason));
    return () => {
      mounted = false;
      unsubscribe();
    };
  }, []);
  return links;
}
