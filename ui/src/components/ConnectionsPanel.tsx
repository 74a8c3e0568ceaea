import type { ConnectState } from "../hooks/studioStore";
import { useT } from "../i18n";
import type { Connection, Platform, PlatformInfo } from "../ipc";

interface Props {
  platforms: PlatformInfo[];
  connections: Connection[];
  connect: ConnectState;
  onConnect: (platform: Platform) => void;
  onDisconnect: (platform: Platform) => void;
}

/** Each platform the operator enabled, with Connect, Disconnect or Reconnect. */
export function ConnectionsPanel({ platforms, connections, connect, onConnect, onDisconnect }: Props) {
  const t = useT();
  const pending = connect.state === "pending" ? connect.platform : null;
  return (
    <ul className="platforms" data-testid="platform-list" aria-label={t("connections.label")}>
      {platforms.map((p) => {
        const link = connections.find((c) => c.platform === p.platform);
        const needsReauth = link?.status === "reauth_required";
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
                ✓ <bdi>{link.platformUsername}</bdi>
              </span>
            ) : null}
            {!p.enabled ? (
              <span className="platform-note">{t("connections.notEnabled")}</span>
            ) : pending === p.platform ? (
              <span className="platform-note">{t("connections.waiting")}</span>
            ) : link && !needsReauth ? (
              <button type="button" className="secondary" onClick={() => onDisconnect(p.platform)}>
                {t("connections.disconnect")}
              </button>
            ) : (
              <button
                type="button"
                data-testid={`connect-${p.platform}`}
                disabled={pending !== null}
                onClick={() => onConnect(p.platform)}
              >
                {needsReauth ? t("connections.reconnect") : t("connections.connect")}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
