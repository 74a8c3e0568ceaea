import { useEffect, useState } from "react";
import { type DeepLinkReceived, ipc } from "../ipc";

/** Merges `incoming` into `list` by sequence number, oldest first, without duplicates. */
export function mergeLinks(list: DeepLinkReceived[], incoming: DeepLinkReceived[]): DeepLinkReceived[] {
  const bySequence = new Map(list.map((link) => [link.sequence, link]));
  for (const link of incoming) bySequence.set(link.sequence, link);
  return [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
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
