// A live studio whose platforms offer moderation, for the moderation tests: Twitch offers all of
// it, Kick deleting only, YouTube none (a v1 service there).
import { act, render, screen, waitFor } from "@testing-library/react";
import { type ComponentType, createElement } from "react";
import { expect } from "vitest";
import type { Comment, Job, ModerationEvent, PlatformInfo } from "../ipc";
import { createFakeIpc, jobFixture } from "./fakeIpc";

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

/** The fake the tests' mocked `ipc` answers with. */
export interface FakeHolder {
  current: ReturnType<typeof createFakeIpc> | null;
}

/**
 * Renders `App` as a live studio whose platforms offer moderation, showing `comments`: the window
 * following the chat and its platforms read, as a streamer sees it while live.
 */
export async function chatShowing(fake: FakeHolder, App: ComponentType, ...comments: Comment[]) {
  const ipc = createFakeIpc();
  fake.current = ipc;
  ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
  ipc.state.platforms = { ok: true, data: OFFERING };
  ipc.state.snapshot = { ...ipc.state.snapshot, job: LIVE_EVERYWHERE, chat: { state: "live" } };
  render(createElement(App));
  await screen.findByTestId("chat-list");
  await waitFor(() => expect(ipc.chatFollowers()).toBe(1));
  await screen.findByTestId("connect-kick");
  act(() => ipc.emitComments(comments));
  await act(async () => {});
  return ipc;
}
