import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import { useT } from "../../i18n";
import type { Comment, ModerationAction } from "../../ipc";
import { BanQuestion, Choice, CustomTimeout, RefusalNotice } from "./ModerationParts";
import { doneWords } from "./moderationWords";
import { PLATFORM_NAMES } from "./platformNames";
import { useModerate } from "./useModerate";

interface Props {
  /** Names the menu for the button that opens it (`aria-controls`). */
  id: string;
  comment: Comment;
  /** What the comment's platform lets the streamer do; `null`: no moderation there. */
  offer: readonly ModerationAction[] | null;
  /** Closes the menu, focus going back to the button that opened it. */
  onClose: () => void;
  /** Closes the menu after a click elsewhere, focus staying where that click put it. */
  onDismiss: () => void;
}

/**
 * What can be done about one message: only what its platform allows (delete; time out or ban its
 * author, when the service says who that is), and always hiding it from the overlay, which stays
 * on this computer. Focus moves in when it opens; Escape closes it, and so does a press anywhere but
 * in it or on the button that opens it (that button closes it by itself).
 */
export function ModerationMenu({ id, comment, offer, onClose, onDismiss }: Props) {
  const t = useT();
  const { busy, refusal, moderate, hide } = useModerate(comment.platform);
  const [step, setStep] = useState<"choose" | "custom" | "ban">("choose");
  // Where focus goes when the choices show again: the one that led away from them, else the first.
  const back = useRef("");
  const box = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    if (step !== "choose") return;
    const choices = box.current?.querySelectorAll<HTMLButtonElement>("button[data-testid]");
    const all = Array.from(choices ?? []);
    (all.find((b) => b.dataset.testid === back.current) ?? all[0])?.focus();
  }, [step]);
  useEffect(() => {
    // The ban's question is a modal dialog portalled out of the menu: it answers for itself.
    if (step === "ban") return;
    const elsewhere = (event: PointerEvent) => {
      const target = event.target;
      if (!(target instanceof Node) || box.current?.contains(target)) return;
      const opener = target instanceof Element ? target.closest("[aria-controls]") : null;
      if (opener?.getAttribute("aria-controls") === id) return;
      onDismiss();
    };
    // Capture: a press that a control stops on its way still closes the menu.
    document.addEventListener("pointerdown", elsewhere, true);
    return () => document.removeEventListener("pointerdown", elsewhere, true);
  }, [id, onDismiss, step]);
  const { platform, author } = comment;
  const authorId = comment.authorId ?? null;
  const allowed = (action: ModerationAction) => offer?.includes(action) ?? false;
  const closeOn = (ok: boolean) => {
    if (ok) onClose();
  };
  const leave = (to: "custom" | "ban", from: string) => {
    back.current = from;
    setStep(to);
  };
  const timeout = (seconds: number) => {
    if (!authorId) return;
    moderate(
      { action: "timeout", platform, authorId, durationSeconds: seconds },
      doneWords(t, { timeoutSeconds: seconds }, platform, author),
    ).then(closeOn);
  };
  const ban = () => {
    setStep("choose");
    if (!authorId) return;
    moderate({ action: "ban", platform, authorId }, doneWords(t, "ban", platform, author)).then(closeOn);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLFieldSetElement>) => {
    if (event.key !== "Escape") return;
    event.stopPropagation();
    onClose();
  };
  return (
    <fieldset
      id={id}
      ref={box}
      className="mod-menu"
      aria-busy={busy}
      data-testid="mod-menu"
      onKeyDown={onKeyDown}
    >
      <legend className="visually-hidden">{t("mod.open", { author })}</legend>
      {refusal ? <RefusalNotice refusal={refusal} /> : null}
      {step === "custom" ? (
        <CustomTimeout busy={busy} onTimeout={timeout} onBack={() => setStep("choose")} />
      ) : (
        <div className="mod-choices">
          {offer === null || offer.length === 0 ? (
            <p className="muted">{t("mod.notOffered", { platform: PLATFORM_NAMES[platform] })}</p>
          ) : null}
          {allowed("delete") ? (
            <Choice
              testId="mod-delete"
              busy={busy}
              onChoose={() =>
                moderate(
                  { action: "delete", platform, commentId: comment.id },
                  doneWords(t, "delete", platform, author),
                ).then(closeOn)
              }
            >
              {t("mod.delete")}
            </Choice>
          ) : null}
          {authorId && allowed("timeout") ? (
            <>
              <Choice testId="mod-timeout-60" busy={busy} onChoose={() => timeout(60)}>
                {t("mod.timeout60")}
              </Choice>
              <Choice testId="mod-timeout-600" busy={busy} onChoose={() => timeout(600)}>
                {t("mod.timeout600")}
              </Choice>
              <Choice
                testId="mod-timeout-custom"
                busy={busy}
                onChoose={() => leave("custom", "mod-timeout-custom")}
              >
                {t("mod.timeoutCustom")}
              </Choice>
            </>
          ) : null}
          {authorId && allowed("ban") ? (
            <Choice testId="mod-ban" busy={busy} onChoose={() => leave("ban", "mod-ban")}>
              {t("mod.ban")}
            </Choice>
          ) : null}
          <Choice testId="mod-hide-overlay" busy={busy} onChoose={() => hide(comment.id).then(closeOn)}>
            {t("mod.hide")}
          </Choice>
        </div>
      )}
      {step === "ban" ? (
        <BanQuestion author={author} platform={platform} onBan={ban} onCancel={() => setStep("choose")} />
      ) : null}
    </fieldset>
  );
}
