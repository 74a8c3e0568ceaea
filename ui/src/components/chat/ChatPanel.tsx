import { memo, useCallback, useEffect, useMemo, useState } from "react";
import { isolate } from "../../bidi";
import { shownUnder } from "../../chat/chatLog";
import { useLiveChat } from "../../hooks/useLiveChat";
import { useNow } from "../../hooks/useNow";
import { useT } from "../../i18n";
import { type ChatStatus, type Comment, ipc, type Platform, type ServiceStatus } from "../../ipc";
import { AuthorView } from "./AuthorView";
import { ChatAnnouncer } from "./ChatAnnouncer";
import { ChatComposer } from "./ChatComposer";
import { ChatList } from "./ChatList";
import { type ChatModeration, ModerationContext, type ModerationOffers } from "./moderationContext";
import type { Words } from "./moderationWords";
import { PLATFORM_NAMES } from "./platformNames";
import { Sentence } from "./Sentence";

/** How long what a moderation asked for stays said under the chat's head. */
export const DONE_SHOWN_MS = 10_000;

/** Whether the stream waits before trying again (so a countdown and "Retry now" show). */
function waiting(status: ChatStatus): status is Extract<ChatStatus, { delayMs: number }> {
  return status.state === "reconnecting" || status.state === "refused";
}

function useSecondsLeft(status: ChatStatus, since: number): number {
  // Ticks when the count changes: on whole seconds before the wait ends.
  const now = useNow(1000, waiting(status), waiting(status) ? since + status.delayMs : 0);
  return waiting(status) ? Math.max(0, Math.ceil((since + status.delayMs - now) / 1000)) : 0;
}

function RetryNow() {
  const t = useT();
  // The wait still ends by itself; a failed ask only leaves the streamer waiting for it.
  const retry = () =>
    ipc.retryChat().then((result) => {
      if (!result.ok) console.error("retry chat", result.error);
    });
  return (
    <button type="button" className="secondary" data-testid="chat-retry" onClick={retry}>
      {t("chat.retryNow")}
    </button>
  );
}

/** The stream's state in a few words, with what ended the last attempt while it waits. */
function StatusLine({ status, since }: { status: ChatStatus; since: number }) {
  const t = useT();
  const seconds = useSecondsLeft(status, since);
  let text: string;
  switch (status.state) {
    case "live":
      text = t("chat.status.live");
      break;
    case "connecting":
      text = t("chat.status.connecting");
      break;
    case "reconnecting":
    case "refused":
      text = seconds > 0 ? t("chat.status.reconnectingIn", { seconds }) : t("chat.status.reconnecting");
      break;
    case "stopped":
      text = t("chat.status.stopped", { reason: isolate(status.reason) });
      break;
  }
  return (
    <span className={`chat-status chat-status-${status.state}`} data-testid="chat-status">
      {text}
      {waiting(status) ? (
        <>
          {" · "}
          <bdi data-testid="chat-last-error">{status.lastError}</bdi> <RetryNow />
        </>
      ) : null}
    </span>
  );
}

/** A refusal no new credential cured: what went wrong and what to do, while the stream retries. */
function RefusedNotice({ status }: { status: ChatStatus }) {
  if (status.state !== "refused") return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="chat-refused">
      <p className="notice-cause">{status.cause}</p>
      <p className="notice-fix">{status.fix}</p>
    </div>
  );
}

/** What the last moderation asked for, said for a while (a status: screen readers hear it too). */
function useDone(): [Words | null, (words: Words) => void] {
  const [done, setDone] = useState<{ words: Words; at: number } | null>(null);
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(null), DONE_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [done]);
  const announce = useCallback((words: Words) => setDone({ words, at: Date.now() }), []);
  return [done?.words ?? null, announce];
}

/**
 * The merged chat of every destination: status, a platform filter, the list, and sending. It owns
 * the chat's state, so a busy chat re-renders this panel only, not the whole window. Its rows
 * moderate through a context that changes only with the platforms' `moderation` offers. Memoized:
 * the window re-renders for things the chat does not show (viewer counts every 10 s), and the
 * chat, its list and its virtualizer need not run again for them.
 */
export const ChatPanel = memo(function ChatPanel({
  status,
  destinations,
  live,
  moderation,
}: {
  status: ServiceStatus | null;
  destinations: Platform[];
  /** Whether the job runs, so chat can be sent. */
  live: boolean;
  moderation: ModerationOffers;
}) {
  const t = useT();
  const chat = useLiveChat(status);
  const [filter, setFilter] = useState<Platform | null>(null);
  const [done, announce] = useDone();
  const [author, setAuthor] = useState<{ comment: Comment; opener: HTMLElement } | null>(null);
  const openAuthor = useCallback(
    (comment: Comment, opener: HTMLElement) => setAuthor({ comment, opener }),
    [],
  );
  const rows = useMemo<ChatModeration>(
    () => ({ offers: moderation, announce, openAuthor }),
    [moderation, announce, openAuthor],
  );
  const { send } = chat;
  // Stable, so the composer (memoized) is not drawn again for every batch of chat.
  const onSend = useCallback(
    (message: string, platforms: Platform[] | null) => send(message, platforms, destinations),
    [send, destinations],
  );
  const items = useMemo(
    () => (filter === null ? chat.log.items : chat.log.items.filter((item) => shownUnder(item, filter))),
    [chat.log.items, filter],
  );
  return (
    <section className="card chat" aria-labelledby="chat-heading">
      <div className="chat-head">
        <h2 id="chat-heading">{t("chat.heading")}</h2>
        <StatusLine status={chat.status} since={chat.statusAt} />
      </div>
      <RefusedNotice status={chat.status} />
      <fieldset className="chat-filter">
        <legend className="visually-hidden">{t("chat.showFrom")}</legend>
        {[null, ...destinations].map((platform) => (
          <button
            key={platform ?? "all"}
            type="button"
            className={filter === platform ? "chip chip-on" : "chip"}
            aria-pressed={filter === platform}
            data-testid={`chat-filter-${platform ?? "all"}`}
            onClick={() => setFilter(platform)}
          >
            {platform === null ? t("chat.all") : PLATFORM_NAMES[platform]}
          </button>
        ))}
      </fieldset>
      <p className="muted mod-done" role="status" data-testid="mod-status">
        {done ? <Sentence words={done} /> : null}
      </p>
      <ChatAnnouncer log={chat.log} />
      <ModerationContext.Provider value={rows}>
        <ChatList items={items} added={chat.log.added} taken={chat.log.taken} onReading={chat.setReading} />
        {author ? (
          <AuthorView
            comment={author.comment}
            items={chat.log.items}
            offer={moderation[author.comment.platform] ?? null}
            onClose={() => {
              if (author.opener.isConnected) author.opener.focus();
              setAuthor(null);
            }}
          />
        ) : null}
      </ModerationContext.Provider>
      <ChatComposer live={live} destinations={destinations} error={chat.sendError} onSend={onSend} />
    </section>
  );
});
