import { useContext, useState } from "react";
import { useT } from "../../i18n";
import { ipc, type ModerationRequest, type Platform } from "../../ipc";
import { ModerationContext } from "./moderationContext";
import { refusalWords, type Words } from "./moderationWords";

export interface Refusal {
  cause: string;
  fix: string;
}

/**
 * Asks for a moderation on `platform`, or to hide a message from the overlay. Success is
 * announced; the chat itself changes only when the moderation comes back through it. A refusal
 * is kept to show, and changes nothing.
 */
export function useModerate(platform: Platform) {
  const t = useT();
  const chat = useContext(ModerationContext);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const settle = (ok: boolean, done: Words, error?: Parameters<typeof refusalWords>[1]) => {
    setBusy(false);
    if (!ok && error) setRefusal(refusalWords(t, error, platform));
    if (ok) chat?.announce(done);
    return ok;
  };
  const moderate = async (request: ModerationRequest, done: Words): Promise<boolean> => {
    setBusy(true);
    setRefusal(null);
    const result = await ipc.moderateChat(request);
    return result.ok ? settle(true, done) : settle(false, done, result.error);
  };
  const hide = async (commentId: string): Promise<boolean> => {
    setBusy(true);
    setRefusal(null);
    const result = await ipc.hideFromOverlay(commentId);
    const done = { template: t("mod.done.hidden") };
    return result.ok ? settle(true, done) : settle(false, done, result.error);
  };
  return { busy, refusal, moderate, hide };
}
