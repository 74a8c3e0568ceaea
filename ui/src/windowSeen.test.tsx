import { act, render, screen, waitFor } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { createFakeIpc } from "./test/fakeIpc";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("./ipc", async (original) => ({
  ...(await original<typeof import("./ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { App } = await import("./App");

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  act(() => {
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

afterEach(() => setVisibility("visible"));

it("tells the studio when the window is hidden or minimized and when it shows again", async () => {
  const ipc = createFakeIpc();
  fake.current = ipc;
  render(<App />);
  await screen.findByTestId("product-name");
  await waitFor(() => expect(ipc.state.windowSeen).toEqual([true]));
  setVisibility("hidden");
  await waitFor(() => expect(ipc.state.windowSeen).toEqual([true, false]));
  setVisibility("visible");
  await waitFor(() => expect(ipc.state.windowSeen).toEqual([true, false, true]));
});
