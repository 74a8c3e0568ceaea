// A live studio whose platforms offer moderation, for the moderation tests: Twitch offers all of
// it, Kick deleting only, YouTube none (a v1 service there).
import type { Comment, Job, ModerationEvent, PlatformInfo } from "../ipc";
import { jobFixture } from "./fakeIpc";

export const OFFERING: PlatformInfo[] = [
  {
    platform: "twitch",
    enabled: true,
    displayName: "Twitch",
    moderation: ["delete", "timeout", "ban", "unban"],
  },
  { platform: "kick", enabled: true, displayName: "Kick", moderation: ["delete"] },
  { platform: "youtube", enabled: true, displayName: "YouTube", moderation: null },
];

export const LIVE_EVERYWHERE: Job = jobFixture({
  destinations: ["twitch", "kick", "youtube"],
  broadcasts: [
    { platform: "twitch", status: "live" },
    { platform: "kick", status: "live" },
    { platform: "youtube", status: "live" },
  ],
});

let sequence = 0;

/** A viewer's comment; its author id is `id-{author}` unless given. */
export function viewerSaid(
  platform: Comment["platform"],
  author: string,
  message: string,
  extra: Partial<Comment> = {},
): Comment {
  sequence += 1;
  return {
    id: `m${sequence}`,
    platform,
    author,
    authorId: `id-${author}`,
    authorAvatar: null,
    message,
    timestamp: Date.UTC(2026, 10, 27, 20, 0, sequence),
    own: false,
    ...extra,
  };
}

/** A moderation as the chat brings it back. */
export function moderated(
  event: Omit<ModerationEvent, "id" | "by"> & Partial<ModerationEvent>,
): ModerationEvent {
  sequence += 1;
  return { id: `mod-event-${sequence}`, by: "streamer", ...event };
}
