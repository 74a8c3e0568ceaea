import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Comment } from "../../ipc";
import type { createFakeIpc } from "../../test/fakeIpc";
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

function openAuthor(comment: Comment): HTMLElement {
  fireEvent.click(screen.getByTestId(`author-${comment.id}`));
  return screen.getByTestId("author-view");
}

describe("the author view", () => {
  it("lists the author's messages in this chat as text, and no one else's", async () => {
    const first = viewerSaid("twitch", "ana", "<b>hi</b><img src=x onerror=alert(1)>");
    const someoneElse = viewerSaid("twitch", "bo", "not ana");
    const sameNameElsewhere = viewerSaid("kick", "ana", "another ana, on Kick");
    const second = viewerSaid("twitch", "ana", "second");
    await chatShowing(first, someoneElse, sameNameElsewhere, second);
    const view = openAuthor(second);
    expect(view.querySelector("h2")?.textContent).toBe("ana on Twitch");
    expect(view.querySelector("h2 bdi")?.textContent).toBe("ana");
    const messages = within(view).getByTestId("author-messages");
    expect(Array.from(messages.querySelectorAll("li span")).map((s) => s.textContent)).toEqual([
      "<b>hi</b><img src=x onerror=alert(1)>",
      "second",
    ]);
    expect(messages.querySelector("img, b")).toBeNull();
    expect(within(view).getByTestId("author-restriction").textContent).toBe(
      "Not banned or timed out, as far as this chat shows.",
    );
  });

  it("offers what the platform allows for an author, and asks before a ban", async () => {
    const said = viewerSaid("twitch", "troll", "grr");
    const ipc = await chatShowing(said);
    const view = openAuthor(said);
    const offered = Array.from(view.querySelectorAll(".mod-choices button")).map((b) =>
      b.getAttribute("data-testid"),
    );
    expect(offered).toEqual([
      "mod-timeout-60",
      "mod-timeout-600",
      "mod-timeout-custom",
      "mod-ban",
      "mod-unban",
    ]);
    const status = () => screen.getByTestId("mod-status").textContent;
    fireEvent.click(within(view).getByTestId("mod-timeout-600"));
    // One request at a time: the next choice works once the platform took this one.
    await waitFor(() => expect(status()).toBe("Asked Twitch to time out troll for 10 min"));
    fireEvent.click(within(view).getByTestId("mod-ban"));
    expect(screen.getByTestId("mod-ban-confirm").textContent).toContain("Ban troll on Twitch?");
    fireEvent.click(screen.getByTestId("mod-ban-go"));
    await waitFor(() => expect(status()).toBe("Asked Twitch to ban troll"));
    fireEvent.click(within(view).getByTestId("mod-unban"));
    await waitFor(() => expect(status()).toBe("Asked Twitch to unban troll"));
    expect(ipc.state.moderations).toEqual([
      { action: "timeout", platform: "twitch", authorId: "id-troll", durationSeconds: 600 },
      { action: "ban", platform: "twitch", authorId: "id-troll" },
      { action: "unban", platform: "twitch", authorId: "id-troll" },
    ]);
  });

  it("follows the chat: a ban coming back shows, and an unban clears it", async () => {
    const said = viewerSaid("twitch", "troll", "grr");
    const ipc = await chatShowing(said);
    const view = openAuthor(said);
    act(() => ipc.emitModeration(moderated({ action: "ban", platform: "twitch", authorId: "id-troll" })));
    await act(async () => {});
    expect(within(view).getByTestId("author-restriction").textContent).toBe("Banned on Twitch.");
    expect(within(view).queryByTestId("mod-ban")).toBeNull();
    act(() =>
      ipc.emitModeration(
        moderated({ action: "unban", platform: "twitch", authorId: "id-troll", by: "platform" }),
      ),
    );
    await act(async () => {});
    expect(within(view).getByTestId("author-restriction").textContent).toBe(
      "Not banned or timed out, as far as this chat shows.",
    );
    expect(screen.queryByTestId(`restricted-${said.id}`)).toBeNull();
    expect(screen.getAllByTestId("chat-moderated").map((m) => m.textContent)).toEqual([
      "troll was banned on Twitch",
      "troll was unbanned by a moderator on Twitch",
    ]);
  });

  it("offers nothing the platform does not allow, and says when the author is unknown", async () => {
    const onKick = viewerSaid("kick", "bo", "hey");
    const unknown = viewerSaid("twitch", "guest", "hi", { authorId: null });
    await chatShowing(onKick, unknown);
    const kick = openAuthor(onKick);
    expect(kick.querySelectorAll(".mod-choices button")).toHaveLength(0);
    fireEvent.click(within(kick).getByTestId("author-close"));
    const guest = openAuthor(unknown);
    expect(guest.querySelectorAll(".mod-choices button")).toHaveLength(0);
    expect(guest.textContent).toContain("Twitch did not say who wrote these");
  });

  it("closes on Escape, giving focus back to the name", async () => {
    const said = viewerSaid("twitch", "ana", "hello");
    await chatShowing(said);
    const name = screen.getByTestId(`author-${said.id}`);
    const view = openAuthor(said);
    expect(document.activeElement).toBe(within(view).getByTestId("author-close"));
    fireEvent.keyDown(view, { key: "Escape" });
    expect(screen.queryByTestId("author-view")).toBeNull();
    expect(document.activeElement).toBe(name);
  });
});
