import { useEffect, useMemo, useState } from "react";
import { shownUnder } from "../../chat/chatLog";
import { useChat } from "../../hooks/useChat";
import type { ChatStatus, Platform, ServiceStatus } from "../../ipc";
import { ChatComposer } from "./ChatComposer";
import { ChatList } from "./ChatList";
import { PLATFORM_NAMES } from "./platformNames";

function useSecondsLeft(status: ChatStatus, since: number): number {
  const [now, setNow] = useState(() => Date.now());
  const waiting = status.state === "reconnecting";
  useEffect(() => {
    if (!waiting) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting]);
  return status.state === "reconnecting" ? Math.max(0, Math.ceil((since + status.delayMs - now) / 1000)) : 0;
}

function StatusLine({ status, since }: { status: ChatStatus; since: number }) {
  const seconds = useSecondsLeft(status, since);
  const text =
    status.state === "live"
      ? "Live"
      : status.state === "connecting"
        ? "Connecting…"
        : status.state === "reconnecting"
          ? seconds > 0
            ? `Reconnecting in ${seconds} s…`
            : "Reconnecting…"
          : `Stopped: ${status.reason}`;
  return (
    <span className={`chat-status chat-status-${status.state}`} data-testid="chat-status">
      {text}
    </span>
  );
}

/**
 * The merged chat of every destination: status, a platform filter, the list, and sending. It owns
 * the chat's state, so a busy chat re-renders this panel only, not the whole window.
 */
export function ChatPanel({
  status,
  destinations,
  live,
}: {
  status: ServiceStatus | null;
  destinations: Platform[];
  /** Whether the job runs, so chat can be sent. */
  live: boolean;
}) {
  const chat = useChat(status);
  const [filter, setFilter] = useState<Platform | null>(null);
  const items = useMemo(
    () => (filter === null ? chat.log.items : chat.log.items.filter((item) => shownUnder(item, filter))),
    [chat.log.items, filter],
  );
  return (
    <section className="card chat" aria-labelledby="chat-heading">
      <div className="chat-head">
        <h2 id="chat-heading">Chat</h2>
        <StatusLine status={chat.status} since={chat.statusAt} />
      </div>
      <fieldset className="chat-filter">
        <legend className="visually-hidden">Show chat from</legend>
        {[null, ...destinations].map((platform) => (
          <button
            key={platform ?? "all"}
            type="button"
            className={filter === platform ? "chip chip-on" : "chip"}
            aria-pressed={filter === platform}
            data-testid={`chat-filter-${platform ?? "all"}`}
            onClick={() => setFilter(platform)}
          >
            {platform === null ? "All" : PLATFORM_NAMES[platform]}
          </button>
        ))}
      </fieldset>
      <ChatList items={items} added={chat.log.added} taken={chat.log.taken} onReading={chat.setReading} />
      <ChatComposer
        live={live}
        destinations={destinations}
        error={chat.sendError}
        onSend={(message, platforms) => chat.send(message, platforms, destinations)}
      />
    </section>
  );
}
