import { isolate } from "../bidi";
import { useT } from "../i18n";
import type { DeepLinkReceived } from "../ipc";

/** Links the app received, newest first. Shown as isolated text: a link is untrusted input. */
export function DeepLinkLog({ links }: { links: DeepLinkReceived[] }) {
  const t = useT();
  if (links.length === 0) return null;
  return (
    <section className="card" aria-labelledby="deep-links-heading">
      <h2 id="deep-links-heading">{t("deeplinks.heading")}</h2>
      <ul className="deep-links" data-testid="deep-links">
        {[...links].reverse().map((link) => (
          <li key={link.sequence}>
            <bdi>
              <code>{link.link}</code>
            </bdi>
            {link.parameters.length > 0 ? (
              <span className="deep-link-params">
                {" "}
                {t("deeplinks.with", { parameters: link.parameters.map(isolate).join(", ") })}
              </span>
            ) : null}
            <time dateTime={new Date(Number(link.receivedAt)).toISOString()}>
              {new Date(Number(link.receivedAt)).toLocaleTimeString()}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
