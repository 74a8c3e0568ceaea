import { useEffect, useRef, useState } from "react";
import { isolate } from "../../bidi";
import type { ChatLog } from "../../chat/chatLog";
import { useT } from "../../i18n";
import type { Comment } from "../../ipc";
import { markerWords, wordsAsText } from "./moderationWords";
import { PLATFORM_NAMES } from "./platformNames";

/** At most one announcement this often: a busy chat must not drown the screen reader. */
export const ANNOUNCE_EVERY_MS = 5000;
/** Long messages are cut in announcements; the list keeps the whole text. */
const ANNOUNCED_CHARS = 140;

function newestComment(log: ChatLog): Comment | null {
  for (let i = log.items.length - 1; i >= 0; i -= 1) {
    const item = log.items[i];
    if (item?.kind === "comment") return item.comment;
  }
  return null;
}

/** Markers said at once at most; a longer run (a catch-up) is said by its newest. */
const MARKERS_SAID = 5;

/**
 * Each moderation marker as it comes (they are few, and a removed message must not go unnoticed),
 * in a polite region of its own, so a busy chat's summaries do not cut it off.
 */
function useModerationSaid(log: ChatLog): string {
  const t = useT();
  const [text, setText] = useState("");
  const said = useRef(log.moderations);
  useEffect(() => {
    if (log.moderations === said.current) return;
    const since = said.current;
    said.current = log.moderations;
    const fresh = log.items.filter((item) => item.kind === "moderated" && item.seq > since);
    setText(
      fresh
        .slice(-MARKERS_SAID)
        .map((item) => (item.kind === "moderated" ? `${wordsAsText(markerWords(t, item))}.` : ""))
        .join(" "),
    );
  }, [log.moderations, log.items, t]);
  return text;
}

/**
 * New chat for screen readers: a polite live region that speaks the newest message, or how many
 * came and the newest, at most once every `ANNOUNCE_EVERY_MS`. The list itself stays quiet
 * (`aria-live="off"`): its rows come and go as it scrolls, which a live region would read out.
 */
export function ChatAnnouncer({ log }: { log: ChatLog }) {
  const t = useT();
  const [text, setText] = useState("");
  const announced = useRef({ taken: log.taken, at: 0 });
  const latest = useRef(log);
  latest.current = log;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const moderated = useModerationSaid(log);

  useEffect(() => {
    if (log.taken === announced.current.taken || timer.current !== null) return;
    const announce = () => {
      timer.current = null;
      const now = latest.current;
      const fresh = now.taken - announced.current.taken;
      announced.current = { taken: now.taken, at: Date.now() };
      const newest = newestComment(now);
      if (fresh <= 0 || !newest) return;
      const { author, platform, message } = newest;
      const said = t("chat.announce.said", {
        author: isolate(author),
        platform: PLATFORM_NAMES[platform],
        message: isolate(Array.from(message).slice(0, ANNOUNCED_CHARS).join("")),
      });
      setText(fresh === 1 ? said : `${t.plural("chat.announce.count", fresh)} ${said}`);
    };
    const wait = announced.current.at + ANNOUNCE_EVERY_MS - Date.now();
    timer.current = setTimeout(announce, Math.max(0, wait));
  }, [log.taken, t]);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  return (
    <>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="chat-announcer">
        {text}
      </div>
      <div
        className="visually-hidden"
        role="status"
        aria-live="polite"
        data-testid="chat-announcer-moderation"
      >
        {moderated}
      </div>
    </>
  );
}
