import { useLayoutEffect } from "react";
import { useT } from "../i18n";
import type { BrowserPage, BrowserWait, Connection, Platform, PlatformInfo } from "../ipc";
import { markStartOnNextFrame } from "../startMarks";
import { BrowserWaitNote } from "./BrowserWaitNote";

interface Props {
  platforms: PlatformInfo[];
  connections: Connection[];
  /** Platforms whose connect is under way. */
  connecting: Platform[];
  /** The pages Rust waits on in the system browser. */
  waits: BrowserWait[];
  onConnect: (platform: Platform) => void;
  onDisconnect: (platform: Platform) => void;
  onCancelWait: (page: BrowserPage) => void;
  onReopen: (page: BrowserPage) => void;
}

/**
 * Each platform the operator enabled, with Connect, Disconnect or Reconnect. A platform whose
 * consent page waits in the browser shows it to copy, open again or cancel; the others can
 * connect meanwhile.
 */
export function ConnectionsPanel(props: Props) {
  const { platforms, connections, connecting, waits, onConnect, onDisconnect } = props;
  const t = useT();
  const listed = platforms.length > 0;
  // Before paint, as the peer marks right after appending: the mark lands on the frame that
  // first shows the rows, not on the one after it.
  useLayoutEffect(() => {
    if (listed) markStartOnNextFrame("platforms-drawn");
  }, [listed]);
  return (
    <ul className="platforms" data-testid="platform-list" aria-label={t("connections.label")}>
      {platforms.map((p) => {
        const link = connections.find((c) => c.platform === p.platform);
        const needsReauth = link?.status === "reauth_required";
        const wait = waits.find((w) => w.page === "connect" && w.platform === p.platform);
        const page: BrowserPage = { page: "connect", platform: p.platform };
        return (
          <li
            key={p.platform}
            className={`platform platform-${p.platform}${p.enabled ? "" : " platform-disabled"}`}
            data-platform={p.platform}
          >
            <span className="platform-badge" aria-hidden="true" />
            <bdi className="platform-name">{p.displayName}</bdi>
            {link && !needsReauth ? (
              <span className="platform-user" data-testid={`linked-${p.platform}`}>
                ✓ <bdi title={link.platformUsername}>{link.platformUsername}</bdi>
              </span>
            ) : null}
            {!p.enabled ? (
              <span className="platform-note">{t("connections.notEnabled")}</span>
            ) : wait ? null : connecting.includes(p.platform) ? (
              <span className="platform-note">{t("connections.opening")}</span>
            ) : link && !needsReauth ? (
              <button type="button" className="secondary" onClick={() => onDisconnect(p.platform)}>
                {t("connections.disconnect")}
              </button>
            ) : (
              <button
                type="button"
                data-testid={`connect-${p.platform}`}
                onClick={() => onConnect(p.platform)}
              >
                {needsReauth ? t("connections.reconnect") : t("connections.connect")}
              </button>
            )}
            {wait ? (
              <BrowserWaitNote
                wait={wait}
                testId={`waiting-${p.platform}`}
                onReopen={() => props.onReopen(page)}
                onCancel={() => props.onCancelWait(page)}
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
