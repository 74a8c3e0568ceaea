import { act, render, screen, waitFor } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import { createFakeIpc, jobFixture } from "../../test/fakeIpc";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null, chatRuns: 0 }));
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

const { App } = await import("../../App");

it("does not run the chat again when only the viewer counts change", async () => {
  const ipc = createFakeIpc();
  fake.current = ipc;
  ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
  ipc.state.snapshot = {
    ...ipc.state.snapshot,
    job: jobFixture({ id: "job_viewers", destinations: ["twitch", "kick"], broadcasts: [] }),
  };
  render(<App />);
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
