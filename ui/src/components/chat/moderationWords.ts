// How the window words moderation: the markers in the chat, what was asked of a platform, a
// restriction, and a refusal's cause and fix. Sentences keep `{author}` for the name, so it can
// be shown in a `<bdi>` (`Sentence`) or isolated inside plain text (`wordsAsText`).
import { isolate } from "../../bidi";
import type { ModerationMarker, Restriction } from "../../chat/chatLog";
import type { Translate } from "../../i18n";
import type { AppError, Platform } from "../../ipc";
import { clock } from "./clock";
import { PLATFORM_NAMES } from "./platformNames";

/** A sentence with `{author}` left in it, and the name that goes there. */
export interface Words {
  template: string;
  author?: string;
}

/** `words` as one string, the name isolated (for screen readers and labels). */
export function wordsAsText(words: Words): string {
  return words.author === undefined
    ? words.template
    : // A function, so a `$&` in a name is not read as a replacement pattern.
      words.template.replace("{author}", () => isolate(words.author as string));
}

/** A marker where chat was moderated. */
export function markerWords(t: Translate, marker: ModerationMarker): Words {
  const platform = PLATFORM_NAMES[marker.platform];
  const author = marker.author ?? t("mod.marker.someone");
  const byStreamer = marker.by === "streamer";
  switch (marker.action) {
    case "delete":
      if (marker.author === null) {
        return {
          template: byStreamer
            ? t("mod.marker.delete.streamer.unknown")
            : t("mod.marker.delete.platform.unknown", { platform }),
        };
      }
      return {
        template: byStreamer
          ? t("mod.marker.delete.streamer")
          : t("mod.marker.delete.platform", { platform }),
        author,
      };
    case "timeout": {
      const vars = { platform, ...(marker.minutes === null ? {} : { minutes: marker.minutes }) };
      const template =
        marker.minutes === null
          ? byStreamer
            ? t("mod.marker.timeout.streamer.open", vars)
            : t("mod.marker.timeout.platform.open", vars)
          : byStreamer
            ? t("mod.marker.timeout.streamer", vars)
            : t("mod.marker.timeout.platform", vars);
      return { template, author };
    }
    case "ban":
      return {
        template: byStreamer
          ? t("mod.marker.ban.streamer", { platform })
          : t("mod.marker.ban.platform", { platform }),
        author,
      };
    case "unban":
      return {
        template: byStreamer
          ? t("mod.marker.unban.streamer", { platform })
          : t("mod.marker.unban.platform", { platform }),
        author,
      };
  }
}

/** What a request asked of the platform, said once it took it. */
export function doneWords(
  t: Translate,
  action: "delete" | "ban" | "unban" | { timeoutSeconds: number },
  platformId: Platform,
  author: string,
): Words {
  const platform = PLATFORM_NAMES[platformId];
  if (action === "delete") return { template: t("mod.done.delete", { platform }) };
  if (action === "ban") return { template: t("mod.done.ban", { platform }), author };
  if (action === "unban") return { template: t("mod.done.unban", { platform }), author };
  const minutes = Math.round(action.timeoutSeconds / 60);
  return { template: t("mod.done.timeout", { platform, minutes }), author };
}

/** The tag on a restricted author's messages, and when a time-out ends. */
export function restrictionTag(
  t: Translate,
  restriction: Restriction,
): { tag: string; until: string | null } {
  if (restriction.action === "ban") return { tag: t("mod.tag.banned"), until: null };
  return {
    tag: t("mod.tag.timedOut"),
    until: restriction.until === null ? null : t("mod.tag.until", { time: clock(restriction.until) }),
  };
}

/** An author's restriction as a sentence (the author view). */
export function restrictionLine(
  t: Translate,
  restriction: Restriction | undefined,
  platformId: Platform,
): string {
  const platform = PLATFORM_NAMES[platformId];
  if (!restriction) return t("author.free");
  if (restriction.action === "ban") return t("author.banned", { platform });
  return restriction.until === null
    ? t("author.timedOutOpen", { platform })
    : t("author.timedOut", { platform, time: clock(restriction.until) });
}

/**
 * A refused moderation's cause and fix. The platform's own refusal is shown as it was given; a
 * missing scope and a target that is gone are said in the studio's words.
 */
export function refusalWords(
  t: Translate,
  error: AppError,
  platformId: Platform,
): { cause: string; fix: string } {
  switch (error.code) {
    case "action_not_supported":
      return { cause: error.message, fix: error.fix };
    case "missing_scope":
      return { cause: t("mod.error.scope.cause"), fix: t("mod.error.scope.fix") };
    case "moderation_target_gone":
      return {
        cause: t("mod.error.gone.cause", { platform: PLATFORM_NAMES[platformId] }),
        fix: t("mod.error.gone.fix"),
      };
    case "bridge":
      return { cause: t("error.bridge.cause"), fix: t("error.bridge.fix") };
    default:
      return { cause: error.cause, fix: error.fix };
  }
}
