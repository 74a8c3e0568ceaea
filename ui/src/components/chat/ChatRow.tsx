import { memo } from "react";
import type { ChatItem } from "../../chat/chatLog";
import { useImage } from "../../hooks/useImage";
import { useT } from "../../i18n";
import { PLATFORM_NAMES, sendErrorText } from "./platformNames";

// One formatter for every row: building one per call is the costly part of formatting a time.
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

function clock(ms: number): string {
  return CLOCK.format(ms);
}

function Avatar({ url, name }: { url: string | null; name: string }) {
  const image = useImage(url, "avatar");
  if (image.state === "shown")
    return <img className="avatar" src={image.src} alt="" width={24} height={24} />;
  // No avatar (or one that is not shown): the author's initial.
  return (
    <span className="avatar avatar-initial" aria-hidden="true">
      {Array.from(name.trim())[0]?.toUpperCase() ?? "?"}
    </span>
  );
}

/** One row of the chat. Every text is a React text node: chat is hostile, never HTML. */
export const ChatRow = memo(function ChatRow({ item }: { item: ChatItem }) {
  const t = useT();
  switch (item.kind) {
    case "comment": {
      const { comment } = item;
      return (
        <div className={`chat-row platform-${comment.platform}`} data-comment-id={comment.id}>
          <Avatar url={comment.authorAvatar} name={comment.author} />
          <div className="chat-body">
            <div className="chat-meta">
              <span className="chat-badge">{PLATFORM_NAMES[comment.platform]}</span>
              <span className="chat-author">{comment.author}</span>
              <time className="muted" dateTime={new Date(comment.timestamp).toISOString()}>
                {clock(comment.timestamp)}
              </time>
            </div>
            <p className="chat-text">{comment.message}</p>
          </div>
        </div>
      );
    }
    case "sent":
      return (
        <div className="chat-row chat-own" data-testid="chat-sent">
          <span className="avatar avatar-initial" aria-hidden="true">
            ↑
          </span>
          <div className="chat-body">
            <div className="chat-meta">
              <span className="chat-author">{t("chat.you")}</span>
              <time className="muted">{clock(item.at)}</time>
            </div>
            <p className="chat-text">{item.message}</p>
            <ul className="receipts" aria-label={t("chat.delivery")}>
              {item.receipts.map((r) => (
                <li
                  key={r.platform}
                  className={`receipt receipt-${r.state}`}
                  data-testid={`receipt-${r.platform}`}
                >
                  {PLATFORM_NAMES[r.platform]}{" "}
                  {r.state === "sending"
                    ? "…"
                    : r.state === "delivered"
                      ? "✓"
                      : `✗ ${sendErrorText(t, r.error)}`}
                </li>
              ))}
            </ul>
          </div>
        </div>
      );
    case "backfill":
      return (
        <p className="chat-backfill" data-testid="chat-backfill">
          {t.plural("chat.backfill", item.count)}
        </p>
      );
    case "skipped":
      return (
        <p className="chat-backfill" data-testid="chat-skipped">
          {t.plural("chat.skipped", item.count)}
        </p>
      );
  }
});
