import { useState } from "react";
import { clamp, isLong } from "../../chat/longMessage";
import { useImage } from "../../hooks/useImage";
import { useT } from "../../i18n";

export function Avatar({ url, name }: { url: string | null; name: string }) {
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
export function MessageText({ message }: { message: string }) {
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
