import { useState } from "react";
import type { AppError } from "../../ipc";
import { MAX_CHAT_CHARS, type Platform } from "../../ipc";
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
 * sending again doubles nothing.
 */
export function ChatComposer({ live, destinations, error, onSend }: Props) {
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState<Platform[] | null>(null);
  const [sending, setSending] = useState(false);
  const [notDelivered, setNotDelivered] = useState<Platform[]>([]);
  const length = Array.from(text).length;
  const tooLong = length > MAX_CHAT_CHARS;
  const targets = chosen ?? destinations;
  const problem = tooLong
    ? `Too long: ${length} of ${MAX_CHAT_CHARS} characters.`
    : chosen !== null && chosen.length === 0
      ? "Choose at least one platform."
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
        <legend className="visually-hidden">Send to</legend>
        <label className="check">
          <input
            type="checkbox"
            data-testid="chat-to-all"
            checked={chosen === null}
            onChange={() => setChosen(chosen === null ? [...destinations] : null)}
          />
          All
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
        Message
      </label>
      <textarea
        id="chat-input"
        data-testid="chat-input"
        rows={2}
        value={text}
        placeholder={
          live ? "Message (Enter sends, Shift+Enter for a new line)" : "Chat can be sent while you are live"
        }
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
          {sending ? "Sending…" : "Send"}
        </button>
      </div>
      {notDelivered.length > 0 ? (
        <p className="field-error" role="alert" data-testid="chat-not-delivered">
          Not delivered on {notDelivered.map((p) => PLATFORM_NAMES[p]).join(", ")}. Send again to try those
          only.
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}
