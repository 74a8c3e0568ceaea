// One rule for banner addresses, used at go-live and while live.
import type { MessageKey } from "./i18n";

/**
 * Why a banner URL will be refused (a message key), or null: https, or http on this computer (the
 * sandbox).
 */
export function bannerProblem(url: string): MessageKey | null {
  const value = url.trim();
  if (value === "") return null;
  try {
    const parsed = new URL(value);
    const loopback = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost";
    if (parsed.protocol === "https:" || (parsed.protocol === "http:" && loopback)) return null;
    return "banner.notHttps";
  } catch {
    return "banner.notAddress";
  }
}
