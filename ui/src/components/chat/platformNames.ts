import type { Platform } from "../../ipc";

/** Shown when the service's display name is not at hand (badges, receipts). */
export const PLATFORM_NAMES: Record<Platform, string> = {
  twitch: "Twitch",
  kick: "Kick",
  youtube: "YouTube",
  facebook: "Facebook",
  instagram: "Instagram",
};

/** Contract error codes of a refused send, in the streamer's words. */
export function sendErrorText(code: string | undefined): string {
  switch (code) {
    case "not_a_destination":
      return "not a destination of this stream";
    case "platform_rejected":
      return "refused by the platform";
    default:
      return code ? code.replaceAll("_", " ") : "refused";
  }
}
