import { useCallback, useContext, useId, useRef, useState } from "react";
import type { ChatItem } from "../../chat/chatLog";
import { useT } from "../../i18n";
import { Avatar, MessageText } from "./ChatText";
import { clock } from "./clock";
import { useHoldStill } from "./holdStill";
import { ModerationMenu } from "./ModerationMenu";
import { ModerationContext } from "./moderationContext";
import { restrictionTag } from "./moderationWords";
import { PLATFORM_NAMES } from "./platformNames";

type CommentItem = Extract<ChatItem, { kind: "comment" }>;

/**
 * A viewer's message: badge, author (a button to the author view), time, and the moderation menu,
 * which holds state only while it is open. A banned or timed-out author's messages are tagged and
 * dimmed. Every text is a React text node, and the name a `<bdi>`.
 */
export function CommentRow({ item }: { item: CommentItem }) {
  const t = useT();
  const moderation = useContext(ModerationContext);
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const dismiss = useCallback(() => setOpen(false), []);
  useHoldStill(open);
  const { comment, restricted } = item;
  const tag = restricted ? restrictionTag(t, restricted) : null;
  // The streamer's own messages are grouped as sent items; an echo that came as a comment is theirs too.
  const moderable = moderation !== null && !comment.own;
  return (
    <div
      className={`chat-row platform-${comment.platform}${restricted ? " chat-restricted" : ""}`}
      data-comment-id={comment.id}
    >
      <Avatar url={comment.authorAvatar} name={comment.author} />
      <div className="chat-body">
        <div className="chat-meta">
          <span className="chat-badge">{PLATFORM_NAMES[comment.platform]}</span>
          {moderable ? (
            <button
              type="button"
              className="chat-author-button"
              data-testid={`author-${comment.id}`}
              aria-haspopup="dialog"
              onClick={(event) => moderation.openAuthor(comment, event.currentTarget)}
            >
              <bdi className="chat-author">{comment.author}</bdi>
            </button>
          ) : (
            <bdi className="chat-author">{comment.author}</bdi>
          )}
          {tag ? (
            <span
              className="chat-tag"
              data-testid={`restricted-${comment.id}`}
              title={tag.until ?? undefined}
            >
              {tag.tag}
            </span>
          ) : null}
          <time className="muted" dateTime={new Date(comment.timestamp).toISOString()}>
            {clock(comment.timestamp)}
          </time>
          {moderable ? (
            <button
              ref={trigger}
              type="button"
              className="secondary chat-moderate"
              data-testid={`moderate-${comment.id}`}
              aria-label={t("mod.open", { author: comment.author })}
              aria-expanded={open}
              aria-controls={open ? menuId : undefined}
              onClick={() => setOpen(!open)}
            >
              <span aria-hidden="true">⋯</span>
            </button>
          ) : null}
        </div>
        <MessageText message={comment.message} />
        {open && moderation ? (
          <ModerationMenu
            id={menuId}
            comment={comment}
            offer={moderation.offers[comment.platform] ?? null}
            onClose={() => {
              setOpen(false);
              trigger.current?.focus();
            }}
            onDismiss={dismiss}
          />
        ) : null}
      </div>
    </div>
  );
}
