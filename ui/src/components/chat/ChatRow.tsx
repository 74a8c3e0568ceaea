import { memo, useState } from "react";
import type { ChatItem } from "../../chat/chatLog";
import { clamp, isLong } from "../../chat/longMessage";
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

/** A message, folded to its start when it is long, with "Show more". */
function MessageText({ message }: { message: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const folded = isLong(message) && !open;
  return (
    <>
      <p className={folded ? "chat-text chat-text-folded" : "chat-text"} dir="auto">
        {folded && message.length > clamp(message).length ? `${clamp(message)}…` : message}
      </p>
      {isLong(message) ? (
        <button
          type="button"
          className="secondary chat-more"
          data-testid="chat-more"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? t("chat.showLess") : t("chat.showMore")}
        </button>
      ) : null}
    </>
  );
}

/**
 * One row of the chat. Every text is a React text node (chat is hostile, never HTML), and a name
 * is a `<bdi>`, so a direction override in it cannot reorder the row.
 */
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
              <bdi className="chat-author">{comment.author}</bdi>
              <time className="muted" dateTime={new Date(comment.timestamp).toISOString()}>
                {clock(comment.timestamp)}
              </time>
            </div>
            <MessageText message={comment.message} />
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
            <MessageText message={item.message} />
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
