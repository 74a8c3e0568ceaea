import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { isolate } from "../../bidi";
import { CLAMP_CHARS } from "../../chat/longMessage";
import type { Comment, Job, Platform } from "../../ipc";
import { createFakeIpc, jobFixture, NETWORK_ERROR } from "../../test/fakeIpc";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("../../ipc", async (original) => ({
  ...(await original<typeof import("../../ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { App } = await import("../../App");
const { forgetImages } = await import("../../hooks/useImage");

const LIVE: Job = jobFixture({
  destinations: ["twitch", "kick"],
  overlay: {
    enabled: true,
    htmlBanner: null,
    topBanner: "https://cdn.example.com/top.png",
    bottomBanner: null,
    hideTop: false,
    hideBottom: false,
  },
  broadcasts: [
    { platform: "twitch", status: "live" },
    { platform: "kick", status: "live" },
  ],
});

let sequence = 0;
function said(platform: Platform, message: string, extra: Partial<Comment> = {}): Comment {
  sequence += 1;
  return {
    id: `c${sequence}`,
    platform,
    author: `viewer${sequence}`,
    authorAvatar: null,
    message,
    timestamp: Date.UTC(2026, 10, 27, 20, 0, sequence),
    own: false,
    ...extra,
  };
}

async function liveStudio({ strict = false } = {}) {
  const ipc = createFakeIpc();
  fake.current = ipc;
  ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
  ipc.state.snapshot = { ...ipc.state.snapshot, job: LIVE, chat: { state: "live" } };
  render(<App />, { reactStrictMode: strict });
  await screen.findByTestId("chat-list");
  // Chat emitted before the window follows it would reach no one.
  await waitFor(() => expect(ipc.chatFollowers()).toBe(1));
  return ipc;
}

/** Lets what the comments set off settle (batches render inside `act`; the rest is promises). */
async function drawn() {
  await act(async () => {});
}

beforeEach(() => {
  forgetImages();
});

describe("the chat list", () => {
  it("shows hostile text as text, with badge, author and avatar fetched by Rust", async () => {
    const ipc = await liveStudio();
    const hostile = said("kick", '<img src=x onerror="window.pwned=1">', {
      authorAvatar: "http://127.0.0.1:4000/assets/avatars/1.png",
    });
    act(() => ipc.emitComments([said("twitch", "hello from twitch"), hostile]));
    await drawn();
    const list = screen.getByTestId("chat-list");
    const row = list.querySelector(`[data-comment-id="${hostile.id}"]`) as HTMLElement;
    expect(row.querySelector(".chat-text")?.textContent).toBe('<img src=x onerror="window.pwned=1">');
    expect(row.querySelector("img[src='x']")).toBeNull();
    expect(row.textContent).toContain("Kick");
    // Rust's `data:` URL, drawn from an object URL made from it (useImage.ts).
    await waitFor(() => expect(row.querySelector("img.avatar")?.getAttribute("src")).toMatch(/^blob:/));
    expect(ipc.state.imageAsks.filter((ask) => ask.purpose === "avatar")).toEqual([
      { url: hostile.authorAvatar, purpose: "avatar" },
    ]);
  });

  it("shows every comment once where React runs each update twice (the development build)", async () => {
    const ipc = await liveStudio({ strict: true });
    const first = [said("twitch", "one"), said("kick", "two")];
    const second = [said("youtube", "three")];
    act(() => ipc.emitComments(first));
    act(() => ipc.emitComments([...first, ...second]));
    await drawn();
    const shown = Array.from(screen.getByTestId("chat-list").querySelectorAll("[data-comment-id]")).map(
      (row) => row.getAttribute("data-comment-id"),
    );
    expect(shown).toEqual([...first, ...second].map((c) => c.id));
  });

  it("pauses when the streamer scrolls up, counts what arrives, and jumps back", async () => {
    const ipc = await liveStudio();
    act(() => ipc.emitComments([said("twitch", "one")]));
    await drawn();
    const list = screen.getByTestId("chat-list");
    fireEvent.wheel(list, { deltaY: -120 });
    act(() => ipc.emitComments([said("twitch", "two"), said("kick", "three"), said("kick", "four")]));
    await drawn();
    const marker = await screen.findByTestId("chat-new-messages");
    expect(marker.textContent).toContain("3 new messages");
    fireEvent.click(marker);
    await waitFor(() => expect(screen.queryByTestId("chat-new-messages")).toBeNull());
  });

  it("pauses while the pointer is over it", async () => {
    const ipc = await liveStudio();
    fireEvent.mouseEnter(screen.getByTestId("chat-list"));
    act(() => ipc.emitComments([said("youtube", "while reading")]));
    await drawn();
    expect((await screen.findByTestId("chat-new-messages")).textContent).toContain("1 new message");
    fireEvent.mouseLeave(screen.getByTestId("chat-list"));
    await waitFor(() => expect(screen.queryByTestId("chat-new-messages")).toBeNull());
  });

  it("says where a message too large to show was skipped, and goes on", async () => {
    const ipc = await liveStudio();
    act(() => ipc.emitComments([said("twitch", "before")]));
    await drawn();
    act(() => ipc.emitSkipped(1));
    act(() => ipc.emitComments([said("kick", "after")]));
    await drawn();
    expect(screen.getByTestId("chat-skipped").textContent).toBe("1 message too large to show was skipped");
    const rows = Array.from(
      screen.getByTestId("chat-list").querySelectorAll(".chat-text, [data-testid=chat-skipped]"),
    );
    expect(rows.map((row) => row.textContent)).toEqual([
      "before",
      "1 message too large to show was skipped",
      "after",
    ]);
  });

  it("keeps a name's direction override to the name, and folds a very long message", async () => {
    const ipc = await liveStudio();
    const hostileName = "\u202Eevil\u202C admin";
    const long = "lorem ipsum ".repeat(5_000);
    act(() => ipc.emitComments([said("twitch", "hi", { author: hostileName }), said("kick", long)]));
    await drawn();
    const author = screen.getByText(hostileName);
    expect(author.tagName).toBe("BDI");
    // The name is the whole of its button (to the author view), and the time comes after it.
    expect(author.parentElement?.textContent).toBe(hostileName);
    expect(author.parentElement?.nextElementSibling?.tagName).toBe("TIME");
    const texts = () => Array.from(screen.getByTestId("chat-list").querySelectorAll(".chat-text"));
    const folded = texts()[1] as HTMLElement;
    expect(folded.getAttribute("dir")).toBe("auto");
    expect(folded.textContent?.length).toBeLessThanOrEqual(CLAMP_CHARS + 1);
    expect(folded.textContent?.endsWith("…")).toBe(true);
    const more = screen.getByTestId("chat-more");
    expect(more.textContent).toBe("Show more");
    fireEvent.click(more);
    expect(texts()[1]?.textContent).toBe(long);
    expect(screen.getByTestId("chat-more").textContent).toBe("Show less");
    expect(screen.getAllByTestId("chat-more")).toHaveLength(1);
  });

  it("marks a catch-up after a reconnect and filters by platform", async () => {
    const ipc = await liveStudio();
    act(() => ipc.emitComments([said("twitch", "before")]));
    await drawn();
    act(() => ipc.emitComments([said("kick", "missed")], true));
    await drawn();
    expect(screen.getByTestId("chat-backfill").textContent).toContain("1 message caught up");
    fireEvent.click(screen.getByTestId("chat-filter-kick"));
    const texts = Array.from(screen.getByTestId("chat-list").querySelectorAll(".chat-text")).map(
      (p) => p.textContent,
    );
    expect(texts).toEqual(["missed"]);
  });

  it("says when it is reconnecting, in how long, and what ended the last try", async () => {
    const ipc = await liveStudio();
    act(() =>
      ipc.emitChatStatus({ state: "reconnecting", attempt: 2, delayMs: 4000, lastError: "503 unavailable" }),
    );
    expect(screen.getByTestId("chat-status").textContent).toMatch(/Reconnecting in [34] s/);
    expect(screen.getByTestId("chat-last-error").textContent).toBe("503 unavailable");
    expect(screen.queryByTestId("chat-refused")).toBeNull();
    fireEvent.click(screen.getByTestId("chat-retry"));
    expect(ipc.state.chatRetries).toBe(1);
    act(() => ipc.emitChatStatus({ state: "stopped", reason: "The stream ended." }));
    expect(screen.getByTestId("chat-status").textContent).toBe(`Stopped: ${isolate("The stream ended.")}`);
    expect(screen.queryByTestId("chat-retry")).toBeNull();
  });

  it("shows a refusal's cause and fix while it retries slowly, with Retry now", async () => {
    const ipc = await liveStudio();
    act(() =>
      ipc.emitChatStatus({
        state: "refused",
        lastError: "403 missing_scope",
        cause: "Missing required scope: read.",
        fix: "Ask your operator to add that scope.",
        delayMs: 60_000,
      }),
    );
    const notice = screen.getByTestId("chat-refused");
    expect(notice.textContent).toContain("Missing required scope: read.");
    expect(notice.textContent).toContain("Ask your operator to add that scope.");
    expect(screen.getByTestId("chat-status").textContent).toMatch(/Reconnecting in (59|60) s/);
    expect(screen.getByTestId("chat-last-error").textContent).toBe("403 missing_scope");
    fireEvent.click(screen.getByTestId("chat-retry"));
    expect(ipc.state.chatRetries).toBe(1);
    act(() => ipc.emitChatStatus({ state: "live" }));
    expect(screen.queryByTestId("chat-refused")).toBeNull();
  });
});

describe("sending chat", () => {
  it("sends on Enter, not Shift+Enter, and groups the echoes under one sent message", async () => {
    const ipc = await liveStudio();
    const input = screen.getByTestId("chat-input") as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: "thanks for coming" } });
    fireEvent.keyDown(input, { key: "Enter", shiftKey: true });
    expect(ipc.state.sent).toHaveLength(0);
    ipc.state.sendAnswers = [
      {
        ok: true,
        data: [
          { platform: "twitch", ok: true },
          { platform: "kick", ok: true },
        ],
      },
    ];
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(input.value).toBe(""));
    expect(ipc.state.sent).toEqual([{ message: "thanks for coming", platforms: null }]);
    act(() =>
      ipc.emitComments([
        said("twitch", "thanks for coming", { own: true }),
        said("kick", "thanks for coming", { own: true }),
      ]),
    );
    await drawn();
    const sent = screen.getAllByTestId("chat-sent");
    expect(sent).toHaveLength(1);
    expect(within(sent[0] as HTMLElement).getByTestId("receipt-twitch").textContent).toContain("✓");
    expect(within(sent[0] as HTMLElement).getByTestId("receipt-kick").textContent).toContain("✓");
  });

  it("keeps the text when the service is not reached", async () => {
    const ipc = await liveStudio();
    ipc.state.sendAnswers = [{ ok: false, error: NETWORK_ERROR }];
    const input = screen.getByTestId("chat-input") as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: "are you there?" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    expect(await screen.findByText("Can't reach the Restream Service.")).toBeTruthy();
    expect(input.value).toBe("are you there?");
    expect(screen.queryByTestId("chat-sent")).toBeNull();
  });

  it("after a partial failure keeps the text for the platforms that refused it only", async () => {
    const ipc = await liveStudio();
    ipc.state.sendAnswers = [
      {
        ok: true,
        data: [
          { platform: "twitch", ok: true },
          { platform: "kick", ok: false, error: "platform_rejected" },
        ],
      },
    ];
    const input = screen.getByTestId("chat-input") as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: "hi all" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    expect((await screen.findByTestId("chat-not-delivered")).textContent).toContain("Kick");
    expect(input.value).toBe("hi all");
    expect((screen.getByTestId("chat-to-kick") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("chat-to-twitch") as HTMLInputElement).checked).toBe(false);
    expect(screen.getByTestId("receipt-kick").textContent).toContain("refused by the platform");
    fireEvent.click(screen.getByTestId("chat-send"));
    await waitFor(() => expect(ipc.state.sent[1]).toEqual({ message: "hi all", platforms: ["kick"] }));
    // A retry is a new send: Rust handles each id once, so it must not reuse the first one's.
    expect(new Set(ipc.state.sendIds).size).toBe(2);
  });

  it("opens only while the stream runs", async () => {
    const ipc = createFakeIpc();
    fake.current = ipc;
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.snapshot = { ...ipc.state.snapshot, job: { ...LIVE, status: "stopped" } };
    render(<App />);
    const input = (await screen.findByTestId("chat-input")) as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: "anyone?" } });
    expect((screen.getByTestId("chat-send") as HTMLButtonElement).disabled).toBe(true);
    expect(input.placeholder).toContain("while you are live");
  });

  it("refuses an over-long message at the field, with the limit", async () => {
    await liveStudio();
    const input = screen.getByTestId("chat-input") as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: "é".repeat(501) } });
    expect(screen.getByTestId("chat-count").textContent).toBe("Too long: 501 of 500 characters.");
    expect((screen.getByTestId("chat-send") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { value: "é".repeat(500) } });
    expect(screen.getByTestId("chat-count").textContent).toBe("500/500");
  });
});

describe("the banner form", () => {
  it("refuses a bad address with the reason, previews a PNG, and saves the banners", async () => {
    const ipc = await liveStudio();
    fireEvent.click(screen.getByText("Banners"));
    const top = (await screen.findByTestId("live-top-banner")) as HTMLInputElement;
    expect(top.value).toBe("https://cdn.example.com/top.png");
    const bottom = screen.getByTestId("live-bottom-banner") as HTMLInputElement;
    fireEvent.change(bottom, { target: { value: "http://cdn.example.com/bottom.png" } });
    expect(screen.getByText("Use an https:// address.")).toBeTruthy();
    expect((screen.getByTestId("save-banners") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(bottom, { target: { value: "https://cdn.example.com/bottom.gif" } });
    // The preview waits 400 ms of real time after the last key: more than the default budget's
    // slack on a loaded machine.
    const afterTyping = { timeout: 5_000 };
    expect((await screen.findByTestId("banner-preview-problem", {}, afterTyping)).textContent).toContain(
      "PNG",
    );
    fireEvent.change(bottom, { target: { value: "https://cdn.example.com/bottom.png" } });
    await waitFor(() => expect(screen.getAllByRole("img", { name: /preview/ })).toHaveLength(2), afterTyping);

    fireEvent.click(screen.getByTestId("live-hide-top"));
    ipc.state.bannerAnswer = {
      ok: true,
      data: {
        ...LIVE,
        overlay: { ...LIVE.overlay, bottomBanner: "https://cdn.example.com/bottom.png", hideTop: true },
      },
    };
    fireEvent.click(screen.getByTestId("save-banners"));
    await waitFor(() => expect(ipc.state.bannerEdits).toHaveLength(1));
    expect(ipc.state.bannerEdits[0]).toEqual({
      topBanner: "https://cdn.example.com/top.png",
      bottomBanner: "https://cdn.example.com/bottom.png",
      hideTop: true,
      hideBottom: false,
    });
  });
});
