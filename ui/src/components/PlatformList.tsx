import type { PlatformInfo } from "../ipc";

/** The platforms the operator offers; disabled ones are listed but marked unavailable. */
export function PlatformList({ platforms }: { platforms: PlatformInfo[] }) {
  return (
    <ul className="platforms" data-testid="platform-list" aria-label="Platforms">
      {platforms.map((p) => (
        <li
          key={p.platform}
          className={`platform platform-${p.platform}${p.enabled ? "" : " platform-disabled"}`}
          data-platform={p.platform}
        >
          <span className="platform-badge" aria-hidden="true" />
          <span className="platform-name">{p.displayName}</span>
          {p.enabled ? null : <span className="platform-note">not enabled by your operator</span>}
        </li>
      ))}
    </ul>
  );
}
