import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { isolate } from "../../bidi";
import type { AppError, Comment } from "../../ipc";
import { type createFakeIpc, NETWORK_ERROR } from "../../test/fakeIpc";
import { chatShowing as chatShowingIn, moderated, viewerSaid } from "../../test/moderationStudio";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("../../ipc", async (original) => ({
  ...(await original<typeof import("../../ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { App } = await import("../../App");

function chatShowing(...comments: Comment[]) {
  return chatShowingIn(fake, App, ...comments);
}

function openMenu(comment: Comment): HTMLElement {
  fireEvent.click(screen.getByTestId(`moderate-${comment.id}`));
  return screen.getByTestId("mod-menu");
}

/** The test ids of the menu's choices, in order. */
function choices(menu: HTMLElement): string[] {
  return Array.from(menu.querySelectorAll("button[data-testid]")).map(
    (b) => b.getAttribute("data-testid") ?? "",
  );
}

/** The chat brings back a time-out of "loud" on Twitch, ending `forMs` from now. */
async function timeOutLoud(ipc: ReturnType<typeof createFakeIpc>, forMs: number) {
  act(() =>
    ipc.emitModeration(
      moderated({ action: "timeout", platform: "twitch", authorId: "id-loud", until: Date.now() + forMs }),
    ),
  );
  await act(async () => {});
}

const row = (comment: Comment) =>
  screen.getByTestId("chat-list").querySelector(`[data-comment-id="${comment.id}"]`);

describe("the moderation menu", () => {
  it("offers only what the message's platform allows, and always hiding it from the overlay", async () => {
    const twitch = viewerSaid("twitch", "ana", "hello");
    const anonymous = viewerSaid("twitch", "guest", "who am I", { authorId: null });
    const kick = viewerSaid("kick", "bo", "hey");
    const youtube = viewerSaid("youtube", "cy", "hola");
    await chatShowing(twitch, anonymous, kick, youtube);
    const all = ["mod-delete", "mod-timeout-60", "mod-timeout-600", "mod-timeout-custom", "mod-ban"];
    expect(choices(openMenu(twitch))).toEqual([...all, "mod-hide-overlay"]);
    fireEvent.click(screen.getByTestId(`moderate-${twitch.id}`));
    expect(choices(openMenu(anonymous))).toEqual(["mod-delete", "mod-hide-overlay"]);
    fireEvent.click(screen.getByTestId(`moderate-${anonymous.id}`));
    expect(choices(openMenu(kick))).toEqual(["mod-delete", "mod-hide-overlay"]);
    fireEvent.click(screen.getByTestId(`moderate-${kick.id}`));
    const none = openMenu(youtube);
    expect(choices(none)).toEqual(["mod-hide-overlay"]);
    expect(none.textContent).toContain("Your service offers no moderation on YouTube");
  });

  it("is named for the message, takes focus when it opens, and gives it back on Escape", async () => {
    const said = viewerSaid("twitch", "ana", "hello");
    await chatShowing(said);
    const trigger = screen.getByTestId(`moderate-${said.id}`);
    expect(trigger.getAttribute("aria-label")).toBe("Moderate message by ana");
    expect(trigger.getAttribute("aria-expanded")).toBe("false");
    const menu = openMenu(said);
    expect(trigger.getAttribute("aria-expanded")).toBe("true");
    expect(trigger.getAttribute("aria-controls")).toBe(menu.id);
    expect(document.activeElement).toBe(screen.getByTestId("mod-delete"));
    fireEvent.keyDown(screen.getByTestId("mod-timeout-60"), { key: "Escape" });
    expect(screen.queryByTestId("mod-menu")).toBeNull();
    expect(document.activeElement).toBe(trigger);
  });

  it("holds the chat still while the keyboard is in it, counting what arrives", async () => {
    const said = viewerSaid("twitch", "ana", "hello");
    const ipc = await chatShowing(said);
    openMenu(said);
    act(() => ipc.emitComments([viewerSaid("kick", "bo", "meanwhile")]));
    await act(async () => {});
    expect((await screen.findByTestId("chat-new-messages")).textContent).toContain("1 new message");
    expect(screen.getByTestId("mod-menu")).toBeTruthy();
  });

  it("deletes with the comment's id, and the row goes only when the chat brings the deletion back", async () => {
    const said = viewerSaid("twitch", "ana", "buy followers at …");
    const ipc = await chatShowing(said);
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-delete"));
    await waitFor(() => expect(screen.queryByTestId("mod-menu")).toBeNull());
    expect(ipc.state.moderations).toEqual([{ action: "delete", platform: "twitch", commentId: said.id }]);
    expect(screen.getByTestId("mod-status").textContent).toBe("Asked Twitch to delete the message");
    expect(row(said)).not.toBeNull();
    act(() => ipc.emitModeration(moderated({ action: "delete", platform: "twitch", commentId: said.id })));
    await act(async () => {});
    expect(row(said)).toBeNull();
    expect(screen.getByTestId("chat-moderated").textContent).toBe("You removed a message by ana");
    expect(screen.getByTestId("chat-moderated").querySelector("bdi")?.textContent).toBe("ana");
    expect(screen.getByTestId("chat-announcer-moderation").textContent).toBe(
      `You removed a message by ${isolate("ana")}.`,
    );
    // The menu went with its row: the chat follows again, nothing held still for it.
    act(() => ipc.emitComments([viewerSaid("kick", "bo", "after the deletion")]));
    await act(async () => {});
    expect(screen.queryByTestId("chat-new-messages")).toBeNull();
  });

  it("holds the chat still while a menu is open under the pointer too, and follows again once it closes", async () => {
    const said = viewerSaid("twitch", "ana", "hello");
    const ipc = await chatShowing(said);
    openMenu(said);
    // Focus leaves the menu (a click elsewhere in the window that takes no focus keeps it open).
    (document.activeElement as HTMLElement | null)?.blur();
    act(() => ipc.emitComments([viewerSaid("kick", "bo", "meanwhile")]));
    await act(async () => {});
    expect((await screen.findByTestId("chat-new-messages")).textContent).toContain("1 new message");
    fireEvent.keyDown(screen.getByTestId("mod-menu"), { key: "Escape" });
    act(() => ipc.emitComments([viewerSaid("kick", "cy", "later")]));
    await act(async () => {});
    expect(screen.queryByTestId("chat-new-messages")).toBeNull();
  });

  it("times out for 1 or 10 minutes, or as many as typed, by the author's id", async () => {
    const said = viewerSaid("twitch", "loud", "AAAA");
    const ipc = await chatShowing(said);
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-timeout-60"));
    await waitFor(() => expect(screen.queryByTestId("mod-menu")).toBeNull());
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-timeout-600"));
    await waitFor(() => expect(screen.queryByTestId("mod-menu")).toBeNull());
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-timeout-custom"));
    const minutes = screen.getByTestId("mod-timeout-minutes") as HTMLInputElement;
    expect(document.activeElement).toBe(minutes);
    const go = screen.getByTestId("mod-timeout-custom-go") as HTMLButtonElement;
    fireEvent.change(minutes, { target: { value: "0" } });
    expect(go.disabled).toBe(true);
    fireEvent.change(minutes, { target: { value: "20161" } });
    expect(go.disabled).toBe(true);
    fireEvent.change(minutes, { target: { value: "15" } });
    fireEvent.click(go);
    await waitFor(() => expect(screen.queryByTestId("mod-menu")).toBeNull());
    const timeout = { action: "timeout", platform: "twitch", authorId: "id-loud" };
    expect(ipc.state.moderations).toEqual([
      { ...timeout, durationSeconds: 60 },
      { ...timeout, durationSeconds: 600 },
      { ...timeout, durationSeconds: 900 },
    ]);
    expect(screen.getByTestId("mod-status").textContent).toBe("Asked Twitch to time out loud for 15 min");
    await timeOutLoud(ipc, 900_000);
    expect(screen.getByTestId(`restricted-${said.id}`).textContent).toBe("Timed out");
    expect(row(said)?.className).toContain("chat-restricted");
    expect(screen.getByTestId("chat-moderated").textContent).toBe("loud was timed out on Twitch for 15 min");
  });

  it("takes the time-out's tag off when the time-out ends, and only then", async () => {
    const said = viewerSaid("twitch", "loud", "AAAA");
    const ipc = await chatShowing(said);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      await timeOutLoud(ipc, 60_000);
      expect(screen.getByTestId(`restricted-${said.id}`).textContent).toBe("Timed out");
      act(() => vi.advanceTimersByTime(59_999));
      expect(screen.getByTestId(`restricted-${said.id}`).textContent).toBe("Timed out");
      act(() => vi.advanceTimersByTime(1));
      expect(screen.queryByTestId(`restricted-${said.id}`)).toBeNull();
      expect(row(said)?.className).not.toContain("chat-restricted");
      // The marker of what was done stays where it happened.
      expect(screen.getByTestId("chat-moderated").textContent).toBe("loud was timed out on Twitch for 1 min");
    } finally {
      vi.useRealTimers();
    }
  });

  it("closes on a press anywhere else, and stays open for a press in it", async () => {
    const said = viewerSaid("twitch", "loud", "AAAA");
    const ipc = await chatShowing(said);
    const menu = openMenu(said);
    fireEvent.pointerDown(screen.getByTestId("mod-timeout-60"));
    expect(screen.getByTestId("mod-menu")).toBe(menu);
    // The ban's question, a dialog over the whole window, answers for itself: a press on its
    // buttons is the streamer's answer, not a press elsewhere.
    const press = (testId: string) => {
      fireEvent.pointerDown(screen.getByTestId(testId));
      fireEvent.click(screen.getByTestId(testId));
    };
    press("mod-ban");
    press("mod-ban-cancel");
    expect(screen.getByTestId("mod-menu")).toBe(menu);
    press("mod-ban");
    press("mod-ban-go");
    await waitFor(() =>
      expect(ipc.state.moderations).toEqual([{ action: "ban", platform: "twitch", authorId: "id-loud" }]),
    );
    await waitFor(() => expect(screen.queryByTestId("mod-menu")).toBeNull());
    openMenu(said);
    fireEvent.pointerDown(screen.getByTestId("chat-list"));
    expect(screen.queryByTestId("mod-menu")).toBeNull();
    expect(screen.getByTestId(`moderate-${said.id}`).getAttribute("aria-expanded")).toBe("false");
    // Its own button opens and closes it by itself: the press that comes before its click does not close it.
    const trigger = screen.getByTestId(`moderate-${said.id}`);
    fireEvent.click(trigger);
    fireEvent.pointerDown(trigger);
    expect(screen.queryByTestId("mod-menu")).not.toBeNull();
    fireEvent.click(trigger);
    expect(screen.queryByTestId("mod-menu")).toBeNull();
  });

  it("asks before a ban, naming the author and the platform", async () => {
    const said = viewerSaid("twitch", "troll", "you all suck");
    const ipc = await chatShowing(said);
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-ban"));
    const question = screen.getByTestId("mod-ban-confirm");
    expect(question.textContent).toContain("Ban troll on Twitch?");
    expect(document.activeElement).toBe(screen.getByTestId("mod-ban-cancel"));
    // Escape answers the question alone: the menu stays, and nothing was asked.
    fireEvent.keyDown(question, { key: "Escape" });
    expect(screen.queryByTestId("mod-ban-confirm")).toBeNull();
    expect(screen.getByTestId("mod-menu")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId("mod-ban"));
    expect(ipc.state.moderations).toEqual([]);
    fireEvent.click(screen.getByTestId("mod-ban"));
    fireEvent.click(screen.getByTestId("mod-ban-go"));
    await waitFor(() => expect(screen.queryByTestId("mod-menu")).toBeNull());
    expect(ipc.state.moderations).toEqual([{ action: "ban", platform: "twitch", authorId: "id-troll" }]);
    expect(screen.getByTestId("mod-status").textContent).toBe("Asked Twitch to ban troll");
    act(() => ipc.emitModeration(moderated({ action: "ban", platform: "twitch", authorId: "id-troll" })));
    await act(async () => {});
    expect(screen.getByTestId(`restricted-${said.id}`).textContent).toBe("Banned");
    expect(screen.getByTestId("chat-moderated").textContent).toBe("troll was banned on Twitch");
  });

  it("hides from the overlay only, on any platform, with no request to the platform", async () => {
    const said = viewerSaid("youtube", "cy", "my phone number is …");
    const ipc = await chatShowing(said);
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-hide-overlay"));
    await waitFor(() => expect(screen.queryByTestId("mod-menu")).toBeNull());
    expect(ipc.state.hiddenFromOverlay).toEqual([said.id]);
    expect(ipc.state.moderations).toEqual([]);
    expect(screen.getByTestId("mod-status").textContent).toBe("Hidden from the overlay");
    expect(row(said)).not.toBeNull();
  });
});

describe("a refused moderation", () => {
  const refusal = (code: string, message: string): AppError => ({
    ...NETWORK_ERROR,
    status: 403,
    code,
    message,
    cause: `${message}.`,
    fix: "Use an action that platform offers, or moderate on the platform itself.",
  });

  it("shows the cause and the fix in the menu, and changes nothing", async () => {
    const said = viewerSaid("twitch", "ana", "hello");
    const ipc = await chatShowing(said);
    ipc.state.moderationAnswer = {
      ok: false,
      error: refusal("missing_scope", "Missing required scope: chat:moderate"),
    };
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-delete"));
    const error = await screen.findByTestId("mod-error");
    expect(error.textContent).toContain("The service does not let this studio moderate chat.");
    expect(error.textContent).toContain("Ask your operator to grant the chat:moderate scope");
    expect(screen.getByTestId("mod-menu").contains(error)).toBe(true);
    expect(row(said)).not.toBeNull();
    expect(screen.getByTestId("mod-status").textContent).toBe("");
    expect(screen.queryByTestId("chat-moderated")).toBeNull();

    ipc.state.moderationAnswer = {
      ok: false,
      error: refusal("action_not_supported", "Twitch does not let apps time out moderators"),
    };
    fireEvent.click(screen.getByTestId("mod-timeout-60"));
    await waitFor(() =>
      expect(screen.getByTestId("mod-error").textContent).toContain(
        "Twitch does not let apps time out moderators",
      ),
    );
    ipc.state.moderationAnswer = { ok: false, error: refusal("moderation_target_gone", "not found") };
    fireEvent.click(screen.getByTestId("mod-ban"));
    fireEvent.click(within(screen.getByTestId("mod-ban-confirm")).getByTestId("mod-ban-go"));
    await waitFor(() =>
      expect(screen.getByTestId("mod-error").textContent).toContain(
        "That message or its author is no longer in the chat on Twitch.",
      ),
    );
    expect(screen.queryByTestId(`restricted-${said.id}`)).toBeNull();
    expect(ipc.state.moderations.map((r) => r.action)).toEqual(["delete", "timeout", "ban"]);
  });

  it("to hide from the overlay is shown the same way", async () => {
    const said = viewerSaid("kick", "bo", "hey");
    const ipc = await chatShowing(said);
    ipc.state.hideAnswer = { ok: false, error: { ...NETWORK_ERROR, cause: "The overlay is off." } };
    openMenu(said);
    fireEvent.click(screen.getByTestId("mod-hide-overlay"));
    expect((await screen.findByTestId("mod-error")).textContent).toContain("The overlay is off.");
    expect(screen.getByTestId("mod-menu")).toBeTruthy();
  });
});

describe("moderation by the platform's own moderators", () => {
  it("is marked as theirs where it happened", async () => {
    const spam = viewerSaid("kick", "spammer", "free coins");
    const after = viewerSaid("kick", "fan", "gg");
    const ipc = await chatShowing(spam, after);
    act(() =>
      ipc.emitModeration(
        moderated({ action: "delete", platform: "kick", commentId: spam.id, by: "platform" }),
      ),
    );
    await act(async () => {});
    const rows = Array.from(
      screen.getByTestId("chat-list").querySelectorAll(".chat-text, [data-testid=chat-moderated]"),
    );
    expect(rows.map((r) => r.textContent)).toEqual([
      "Removed by a moderator on Kick: a message by spammer",
      "gg",
    ]);
  });
});
