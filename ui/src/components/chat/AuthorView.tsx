import { useEffect, useId, useRef, useState } from "react";
import type { ChatItem } from "../../chat/chatLog";
import { clamp } from "../../chat/longMessage";
import { recentBy } from "../../chat/moderation";
import { useT } from "../../i18n";
import type { Comment, ModerationAction } from "../../ipc";
import { Dialog } from "../Dialog";
import { clock } from "./clock";
import { BanQuestion, Choice, CustomTimeout, RefusalNotice } from "./ModerationParts";
import { doneWords, restrictionLine } from "./moderationWords";
import { PLATFORM_NAMES } from "./platformNames";
import { Sentence } from "./Sentence";
import { useModerate } from "./useModerate";

/** Their messages shown at most. */
const RECENT = 20;

interface Props {
  /** The message whose author's name was clicked. */
  comment: Comment;
  /** The chat as it is now: the view follows it, so a ban or an unban shows as it comes back. */
  items: ChatItem[];
  offer: readonly ModerationAction[] | null;
  onClose: () => void;
}

/**
 * One author: their latest messages in this chat (text only), whether they are banned or timed
 * out, and what the platform lets the streamer do about them.
 */
export function AuthorView({ comment, items, offer, onClose }: Props) {
  const t = useT();
  const heading = useId();
  const { platform, author } = comment;
  const authorId = comment.authorId ?? null;
  const { busy, refusal, moderate } = useModerate(platform);
  const [step, setStep] = useState<"choose" | "custom" | "ban">("choose");
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  const recent = recentBy(items, platform, authorId, author, RECENT);
  const restricted = recent.at(-1)?.restricted;
  const allowed = (action: ModerationAction) => authorId !== null && (offer?.includes(action) ?? false);
  const name = PLATFORM_NAMES[platform];
  const ask = (action: "ban" | "unban" | { timeoutSeconds: number }) => {
    if (!authorId) return;
    setStep("choose");
    moderate(
      typeof action === "string"
        ? { action, platform, authorId }
        : { action: "timeout", platform, authorId, durationSeconds: action.timeoutSeconds },
      doneWords(t, action, platform, author),
    );
  };
  return (
    <Dialog role="dialog" labelledBy={heading} testId="author-view" onEscape={onClose}>
      <h2 id={heading}>
        <Sentence words={{ template: t("author.title", { platform: name }), author }} />
      </h2>
      <p className={restricted ? "notice" : "muted"} data-testid="author-restriction">
        {restrictionLine(t, restricted, platform)}
      </p>
      {authorId === null ? <p className="muted">{t("author.noId", { platform: name })}</p> : null}
      <h3 className="author-recent-heading">{t("author.recent")}</h3>
      {recent.length === 0 ? (
        <p className="muted">{t("author.none")}</p>
      ) : (
        <ol className="author-messages" data-testid="author-messages">
          {recent.map((item) => (
            <li key={item.key}>
              <time className="muted">{clock(item.comment.timestamp)}</time>{" "}
              <span dir="auto">
                {clamp(item.comment.message)}
                {item.comment.message.length > clamp(item.comment.message).length ? "…" : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
      {refusal ? <RefusalNotice refusal={refusal} /> : null}
      {step === "custom" ? (
        <CustomTimeout
          busy={busy}
          onTimeout={(seconds) => ask({ timeoutSeconds: seconds })}
          onBack={() => setStep("choose")}
        />
      ) : (
        <div className="mod-choices">
          {allowed("timeout") ? (
            <>
              <Choice testId="mod-timeout-60" busy={busy} onChoose={() => ask({ timeoutSeconds: 60 })}>
                {t("mod.timeout60")}
              </Choice>
              <Choice testId="mod-timeout-600" busy={busy} onChoose={() => ask({ timeoutSeconds: 600 })}>
                {t("mod.timeout600")}
              </Choice>
              <Choice testId="mod-timeout-custom" busy={busy} onChoose={() => setStep("custom")}>
                {t("mod.timeoutCustom")}
              </Choice>
            </>
          ) : null}
          {allowed("ban") && restricted?.action !== "ban" ? (
            <Choice testId="mod-ban" busy={busy} onChoose={() => setStep("ban")}>
              {t("mod.ban")}
            </Choice>
          ) : null}
          {allowed("unban") ? (
            <Choice testId="mod-unban" busy={busy} onChoose={() => ask("unban")}>
              {t("mod.unban")}
            </Choice>
          ) : null}
        </div>
      )}
      {step === "ban" ? (
        <BanQuestion
          author={author}
          platform={platform}
          onBan={() => ask("ban")}
          onCancel={() => setStep("choose")}
        />
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="secondary" ref={close} data-testid="author-close" onClick={onClose}>
          {t("common.close")}
        </button>
      </div>
    </Dialog>
  );
}
