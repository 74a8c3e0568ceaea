import { useT } from "../i18n";
import type { ServiceStatus } from "../ipc";

/** Which service the studio talks to, and whether it is reachable. */
export function ServiceBanner({ status }: { status: ServiceStatus | null }) {
  const t = useT();
  if (status === null) return null;
  // "Restream Service" is the service's name, the same in every language.
  const label = status.mode === "demo" ? t("service.demo") : "Restream Service";
  switch (status.state) {
    case "starting":
      return (
        <output className="service service-starting" data-testid="service-status">
          {t("service.starting", { service: label })}
        </output>
      );
    case "up":
      // Demo: the local service is running. Configured: chosen, not yet proven reachable.
      return (
        <output className={`service service-up service-${status.mode}`} data-testid="service-status">
          {label} · {status.apiBase}
        </output>
      );
    case "down":
      return (
        <div className="notice notice-error" role="alert" data-testid="service-status">
          <p className="notice-cause">{status.cause}</p>
          <p className="notice-fix">{status.fix}</p>
        </div>
      );
  }
}
