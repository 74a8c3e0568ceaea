import type { Translate } from "../../i18n";
import type { Platform } from "../../ipc";

/** Shown when the service's display name is not at hand (badges, receipts). */
export const PLATFORM_NAMES: Record<Platform, string> = {
  twitch: "Twitch",
  kick: "Kick",
  youtube: "YouTube",
  facebook: "Facebook",
  instagram: "Instagram",
};

/**
 * Contract error codes of a refused send, in the streamer's words. A code the studio does not know
 * is shown as the service sent it.
 */
export function sendErrorText(t: Translate, code: string | undefined): string {
  switch (code) {
    case "not_a_destination":
      return t("chat.refused.notDestination");
    case "platform_rejected":
      return t("chat.refused.platform");
    default:
      return code ? code.replaceAll("_", " ") : t("chat.refused");
  }
}
