import { renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ServiceStatus } from "./ipc";
import { createFakeIpc, PLATFORMS } from "./test/fakeIpc";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("./ipc", async (original) => ({
  ...(await original<typeof import("./ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { startBoot, takeBootPlatforms, takeBootStatus } = await import("./boot");
const { useServiceStatus } = await import("./hooks/useServiceStatus");
const { usePlatforms } = await import("./hooks/usePlatforms");

const UP: ServiceStatus = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };

let ipc: ReturnType<typeof createFakeIpc>;
beforeEach(() => {
  ipc = createFakeIpc();
  fake.current = ipc;
  // Nothing left over from another test's start.
  takeBootStatus();
  takeBootPlatforms();
});

/** The window's start against a service that is up: status and platforms asked once each. */
async function startedUp() {
  ipc.state.status = UP;
  ipc.state.platforms = { ok: true, data: PLATFORMS };
  startBoot();
  await waitFor(() => expect(ipc.state.platformCalls).toBe(1));
}

describe("the start's first asks", () => {
  it("are asked before the window renders and answer the hooks once, without asking again", async () => {
    await startedUp();
    expect(ipc.state.statusCalls).toBe(1);

    const status = renderHook(() => useServiceStatus());
    await waitFor(() => expect(status.result.current).toEqual(UP));
    const platforms = renderHook(() => usePlatforms(UP));
    await waitFor(() => expect(platforms.result.current.platforms).toEqual(PLATFORMS));
    expect(ipc.state.statusCalls).toBe(1);
    expect(ipc.state.platformCalls).toBe(1);

    // Taken once: a second window's hooks (or a remount) ask Rust again.
    const again = renderHook(() => usePlatforms(UP));
    await waitFor(() => expect(again.result.current.platforms).toEqual(PLATFORMS));
    expect(ipc.state.platformCalls).toBe(2);
  });

  it("show the platforms as soon as the window mounts, before the status has rendered", async () => {
    await startedUp();
    const { result, rerender } = renderHook(({ status }) => usePlatforms(status), {
      initialProps: { status: null as ServiceStatus | null },
    });
    await waitFor(() => expect(result.current.platforms).toEqual(PLATFORMS));
    rerender({ status: UP });
    expect(result.current.platforms).toEqual(PLATFORMS);
    expect(ipc.state.platformCalls).toBe(1);
  });

  it("cover the service's first coming up only, not its restart", async () => {
    await startedUp();
    const { rerender } = renderHook(({ status }) => usePlatforms(status), {
      initialProps: { status: UP as ServiceStatus },
    });
    expect(ipc.state.platformCalls).toBe(1);
    rerender({ status: { state: "starting", mode: "demo" } });
    rerender({ status: UP });
    await waitFor(() => expect(ipc.state.platformCalls).toBe(2));
  });

  it("are not used for a service other than the one they were asked of", async () => {
    await startedUp();
    const other: ServiceStatus = { ...UP, apiBase: "https://api.example.com" };
    const { result } = renderHook(() => usePlatforms(other));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(ipc.state.platformCalls).toBe(2);
  });

  it("ask no platforms of a service that is not up yet", async () => {
    startBoot();
    // The start's own reaction to the answer was registered first, so it has run after this.
    await takeBootStatus();
    expect(ipc.state.platformCalls).toBe(0);
    expect(takeBootPlatforms()).toBeNull();
  });
});
