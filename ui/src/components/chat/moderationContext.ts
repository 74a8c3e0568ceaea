// What the chat's rows need to moderate, shared through a context so the memoized rows re-render
// only when the platforms' offers change, never on a chat batch.
import { createContext } from "react";
import type { Comment, ModerationAction, Platform, PlatformInfo } from "../../ipc";
import type { Words } from "./moderationWords";

/** What each platform lets the streamer do; `null` or absent: no moderation offered there. */
export type ModerationOffers = Partial<Record<Platform, readonly ModerationAction[] | null>>;

export interface ChatModeration {
  offers: ModerationOffers;
  /** Says what was done, where the streamer (and a screen reader) will notice. */
  announce: (words: Words) => void;
  /** Opens the author view for the author of `comment`; focus goes back to `opener` after. */
  openAuthor: (comment: Comment, opener: HTMLElement) => void;
}

export const ModerationContext = createContext<ChatModeration | null>(null);

/** The offers of the service's platforms (as `usePlatforms` loads them). */
export function offersOf(platforms: PlatformInfo[]): ModerationOffers {
  return Object.fromEntries(platforms.map((p) => [p.platform, p.moderation ?? null]));
}

/** Whether `offers` let the streamer do `action` on `platform`. */
export function allows(offers: ModerationOffers, platform: Platform, action: ModerationAction): boolean {
  return offers[platform]?.includes(action) ?? false;
}
