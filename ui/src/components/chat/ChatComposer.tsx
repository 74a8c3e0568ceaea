import { memo, useRef, useState } from "react";
import { useT } from "../../i18n";
import type { AppError } from "../../ipc";
import { MAX_CHAT_CHARS, type Platform } from "../../ipc";
import { useAction } from "../../shortcuts";
import { ErrorNotice } from "../ErrorNotice";
import { PLATFORM_NAMES } from "./platformNames";

interface Props {
  /** Chat can only be sent while the stream runs. */
  live: boolean;
  destinations: Platform[];
  error: AppError | null;
  /** Answers the platforms that did not take it, or `null` when the service was not reached. */
  onSend: (message: string, platforms: Platform[] | null) => Promise<Platform[] | null>;
}

/**
 * Writes one message to every destination or the chosen ones. The text stays until every chosen
 * platform took it; after a partial failure only the platforms that refused stay chosen, so
 * sending again doubles nothing. Memoized: a busy chat re-renders its panel per batch, and the
 * composer's inputs need not be set again each time.
 */
export const ChatComposer = memo(function ChatComposer({ live, destinations, error, onSend }: Props) {
  const t = useT();
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState<Platform[] | null>(null);
  const [sending, setSending] = useState(false);
  const [notDelivered, setNotDelivered] = useState<Platform[]>([]);
  const input = useRef<HTMLTextAreaElement>(null);
  useAction("focusChat", () => input.current?.focus());
  const length = Array.from(text).length;
  const tooLong = length > MAX_CHAT_CHARS;
  const targets = chosen ?? destinations;
  const problem = tooLong
    ? t.plural("chat.tooLong", MAX_CHAT_CHARS, { length })
    : chosen !== null && chosen.length === 0
      ? t("chat.chooseOne")
      : null;
  const canSend = live && text.trim() !== "" && problem === null && !sending && targets.length > 0;

  const send = async () => {
    if (!canSend) return;
    setSending(true);
    const refused = await onSend(text, chosen);
    setSending(false);
    if (refused === null) return;
    setNotDelivered(refused);
    if (refused.length === 0) {
      setText("");
      setChosen(null);
    } else {
      setChosen(refused);
    }
  };

  const toggle = (platform: Platform) => {
    const base = chosen ?? destinations;
    setChosen(base.includes(platform) ? base.filter((p) => p !== platform) : [...base, platform]);
  };

  return (
    <form
      className="chat-composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <fieldset className="chat-targets">
        <legend className="visually-hidden">{t("chat.sendTo")}</legend>
        <label className="check">
          <input
            type="checkbox"
            data-testid="chat-to-all"
            checked={chosen === null}
            onChange={() => setChosen(chosen === null ? [...destinations] : null)}
          />
          {t("chat.all")}
        </label>
        {destinations.map((platform) => (
          <label key={platform} className="check">
            <input
              type="checkbox"
              data-testid={`chat-to-${platform}`}
              checked={targets.includes(platform)}
              onChange={() => toggle(platform)}
            />
            {PLATFORM_NAMES[platform]}
          </label>
        ))}
      </fieldset>
      <label className="visually-hidden" htmlFor="chat-input">
        {t("chat.message")}
      </label>
      <textarea
        id="chat-input"
        ref={input}
        data-testid="chat-input"
        rows={2}
        value={text}
        placeholder={live ? t("chat.placeholder") : t("chat.placeholderOffline")}
        aria-invalid={tooLong}
        aria-describedby="chat-input-help"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div className="chat-composer-foot" id="chat-input-help">
        <span className={tooLong ? "field-error" : "muted"} data-testid="chat-count">
          {problem ?? `${length}/${MAX_CHAT_CHARS}`}
        </span>
        <button type="submit" data-testid="chat-send" disabled={!canSend}>
          {sending ? t("chat.sending") : t("chat.send")}
        </button>
      </div>
      {notDelivered.length > 0 ? (
        <p className="field-error" role="alert" data-testid="chat-not-delivered">
          {t("chat.notDelivered", { platforms: notDelivered.map((p) => PLATFORM_NAMES[p]).join(", ") })}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
});
