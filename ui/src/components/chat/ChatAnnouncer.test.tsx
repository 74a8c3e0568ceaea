import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isolate } from "../../bidi";
import { addComments, type ChatLog, emptyLog } from "../../chat/chatLog";
import type { Comment } from "../../ipc";
import { ANNOUNCE_EVERY_MS, ChatAnnouncer } from "./ChatAnnouncer";

let sequence = 0;
function said(author: string, message: string): Comment {
  sequence += 1;
  return {
    id: `a${sequence}`,
    platform: "twitch",
    author,
    authorAvatar: null,
    message,
    timestamp: sequence,
    own: false,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("chat announcements", () => {
  it("speak the newest message politely, at most once per interval, counting what came between", () => {
    let log: ChatLog = emptyLog();
    const { rerender } = render(<ChatAnnouncer log={log} />);
    const region = screen.getByTestId("chat-announcer");
    expect(region.getAttribute("aria-live")).toBe("polite");
    expect(region.textContent).toBe("");

    log = addComments(log, [said("ana", "hola")], false, 100);
    rerender(<ChatAnnouncer log={log} />);
    act(() => vi.advanceTimersByTime(0));
    expect(region.textContent).toBe(`${isolate("ana")} on Twitch: ${isolate("hola")}`);

    // A busy second: nothing more is said until the interval is over, then one summary.
    for (const [author, text] of [
      ["bo", "one"],
      ["cy", "two"],
      ["di", "<b>three</b>"],
    ]) {
      log = addComments(log, [said(author as string, text as string)], false, 100);
      rerender(<ChatAnnouncer log={log} />);
      act(() => vi.advanceTimersByTime(100));
    }
    expect(region.textContent).toBe(`${isolate("ana")} on Twitch: ${isolate("hola")}`);
    act(() => vi.advanceTimersByTime(ANNOUNCE_EVERY_MS));
    expect(region.textContent).toBe(
      `3 new messages. Newest: ${isolate("di")} on Twitch: ${isolate("<b>three</b>")}`,
    );
  });
});
