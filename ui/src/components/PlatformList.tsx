import { useT } from "../i18n";
import type { PlatformInfo } from "../ipc";

/** The platforms the operator offers; disabled ones are listed but marked unavailable. */
export function PlatformList({ platforms }: { platforms: PlatformInfo[] }) {
  const t = useT();
  return (
    <ul className="platforms" data-testid="platform-list" aria-label={t("connections.label")}>
      {platforms.map((p) => (
        <li
          key={p.platform}
          className={`platform platform-${p.platform}${p.enabled ? "" : " platform-disabled"}`}
          data-platform={p.platform}
        >
          <span className="platform-badge" aria-hidden="true" />
          <span className="platform-name">{p.displayName}</span>
          {p.enabled ? null : <span className="platform-note">{t("connections.notEnabled")}</span>}
        </li>
      ))}
    </ul>
  );
}
