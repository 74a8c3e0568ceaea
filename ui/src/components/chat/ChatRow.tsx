import { memo } from "react";
import type { ChatItem } from "../../chat/chatLog";
import { useT } from "../../i18n";
import { MessageText } from "./ChatText";
import { CommentRow } from "./CommentRow";
import { clock } from "./clock";
import { markerWords } from "./moderationWords";
import { PLATFORM_NAMES, sendErrorText } from "./platformNames";
import { Sentence } from "./Sentence";

/**
 * One row of the chat. Every text is a React text node (chat is hostile, never HTML), and a name
 * is a `<bdi>`, so a direction override in it cannot reorder the row.
 */
export const ChatRow = memo(function ChatRow({ item }: { item: ChatItem }) {
  const t = useT();
  switch (item.kind) {
    case "comment":
      return <CommentRow item={item} />;
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
    case "moderated":
      return (
        <p className="chat-moderated" data-testid="chat-moderated">
          <Sentence words={markerWords(t, item)} />
        </p>
      );
  }
});
