import { act, render, screen, waitFor } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import type { Comment } from "../../ipc";
import { createFakeIpc, jobFixture } from "../../test/fakeIpc";

const fake = vi.hoisted(() => ({
  current: null as ReturnType<typeof createFakeIpc> | null,
  chatRuns: 0,
  composerRuns: 0,
}));
vi.mock("../../ipc", async (original) => ({
  ...(await original<typeof import("../../ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));
// Counts how often the chat panel runs (it calls useLiveChat once per render).
vi.mock("../../hooks/useLiveChat", async (original) => {
  const real = await original<typeof import("../../hooks/useLiveChat")>();
  return {
    ...real,
    useLiveChat: (...args: Parameters<typeof real.useLiveChat>) => {
      fake.chatRuns += 1;
      return real.useLiveChat(...args);
    },
  };
});

// Counts how often the composer runs (it asks for the focus-chat shortcut once per render).
vi.mock("../../shortcuts", async (original) => {
  const real = await original<typeof import("../../shortcuts")>();
  return {
    ...real,
    useAction: (...args: Parameters<typeof real.useAction>) => {
      if (args[0] === "focusChat") fake.composerRuns += 1;
      return real.useAction(...args);
    },
  };
});

const { App } = await import("../../App");

/** The window against a service that is up, with job `id` live on two platforms. */
function liveStudio(id: string) {
  const ipc = createFakeIpc();
  fake.current = ipc;
  ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
  ipc.state.snapshot = {
    ...ipc.state.snapshot,
    job: jobFixture({ id, destinations: ["twitch", "kick"], broadcasts: [] }),
  };
  render(<App />);
  return ipc;
}

it("does not run the chat again when only the viewer counts change", async () => {
  const ipc = liveStudio("job_viewers");
  await screen.findByTestId("chat-list");
  act(() => ipc.emitViewers({ total: 3, platforms: { twitch: 3 }, updatedAt: Date.now() }));
  await screen.findByTestId("viewers-total");
  const before = fake.chatRuns;
  for (const total of [4, 5, 6]) {
    act(() => ipc.emitViewers({ total, platforms: { twitch: total }, updatedAt: Date.now() }));
    await waitFor(() => expect(screen.getByTestId("viewers-total").textContent).toMatch(String(total)));
  }
  expect(fake.chatRuns).toBe(before);
});

it("does not draw the composer again for each batch of chat", async () => {
  const ipc = liveStudio("job_batches");
  await screen.findByTestId("chat-input");
  const comment = (n: number): Comment => ({
    id: `c${n}`,
    platform: "twitch",
    author: "viewer",
    authorId: null,
    authorAvatar: null,
    message: `hello ${n}`,
    timestamp: Date.now(),
    own: false,
  });
  act(() => ipc.emitComments([comment(0)]));
  await waitFor(() => expect(screen.getByTestId("chat-list").textContent).toContain("hello 0"));
  const before = fake.composerRuns;
  for (const n of [1, 2, 3]) {
    act(() => ipc.emitComments([comment(n)]));
    await waitFor(() => expect(screen.getByTestId("chat-list").textContent).toContain(`hello ${n}`));
  }
  expect(fake.composerRuns).toBe(before);
});
