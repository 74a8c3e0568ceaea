import { act, render, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  type Connection,
  DEEP_LINKS_KEPT,
  type Job,
  type Result,
  type ServiceStatus,
  type StudioSnapshot,
  type Viewers,
} from "../ipc";
import { createFakeIpc, jobFixture, NETWORK_ERROR, PLATFORMS } from "../test/fakeIpc";
import type { StudioStore } from "./studioStore";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("../ipc", async (original) => ({
  ...(await original<typeof import("../ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { useServiceStatus } = await import("./useServiceStatus");
const { usePlatforms } = await import("./usePlatforms");
const { useDeepLinks } = await import("./useDeepLinks");
const { useRestream } = await import("./useRestream");
const { useConnections } = await import("./useConnections");
const { useViewers } = await import("./useViewers");
const { useAuth } = await import("./useAuth");
const { useImage, imagesKept, forgetImages, IMAGE_CHARS_KEPT, ASKED_KEPT } = await import("./useImage");

const UP: ServiceStatus = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };

function job(status: Job["status"]): Job {
  return jobFixture({ status, startedAt: undefined, broadcasts: undefined });
}

/** A promise the test settles when it chooses. */
function deferred<T>() {
  let settle: (value: T) => void = () => {};
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

let ipc: ReturnType<typeof createFakeIpc>;
beforeEach(() => {
  ipc = createFakeIpc();
  fake.current = ipc;
});

describe("useServiceStatus", () => {
  it("takes the snapshot, then follows events, and stops listening on unmount", async () => {
    ipc.state.status = UP;
    const { result, unmount } = renderHook(() => useServiceStatus());
    await waitFor(() => expect(result.current).toEqual(UP));
    const down: ServiceStatus = { state: "down", mode: "demo", cause: "c", fix: "f" };
    act(() => ipc.emitStatus(down));
    expect(result.current).toEqual(down);
    unmount();
    expect(ipc.listenerCount()).toBe(0);
  });

  it("keeps an event that overtook the snapshot", async () => {
    const snapshot = deferred<ServiceStatus>();
    ipc.ipc.serviceStatus = () => snapshot.promise;
    const { result } = renderHook(() => useServiceStatus());
    act(() => ipc.emitStatus(UP));
    await act(async () => snapshot.settle({ state: "starting", mode: "demo" }));
    expect(result.current).toEqual(UP);
  });
});

describe("usePlatforms", () => {
  it("loads only once the service is up, and again on reload", async () => {
    ipc.state.platforms = { ok: false, error: NETWORK_ERROR };
    const { result, rerender } = renderHook(({ status }) => usePlatforms(status), {
      initialProps: { status: { state: "starting", mode: "demo" } as ServiceStatus },
    });
    expect(ipc.state.platformCalls).toBe(0);
    rerender({ status: UP });
    await waitFor(() => expect(result.current.error?.code).toBe("network"));
    expect(result.current.loading).toBe(false);

    ipc.state.platforms = { ok: true, data: PLATFORMS };
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.platforms).toEqual(PLATFORMS));
    expect(result.current.error).toBeNull();
    expect(ipc.state.platformCalls).toBe(2);
  });

  it("reloads for a different service", async () => {
    const { rerender } = renderHook(({ status }) => usePlatforms(status), { initialProps: { status: UP } });
    await waitFor(() => expect(ipc.state.platformCalls).toBe(1));
    rerender({ status: { ...UP, apiBase: "https://api.example.com", warning: null } });
    await waitFor(() => expect(ipc.state.platformCalls).toBe(2));
  });
});

describe("useDeepLinks", () => {
  it("merges the ones before mount with new ones, in order, once each", async () => {
    const link = (sequence: number) => ({
      sequence,
      link: "dev.restreamstudio://connect/callback",
      parameters: ["state"],
      receivedAt: String(sequence),
    });
    ipc.state.links = [link(1), link(2)];
    const { result } = renderHook(() => useDeepLinks());
    act(() => ipc.emitLink(link(3)));
    act(() => ipc.emitLink(link(2)));
    await waitFor(() => expect(result.current.map((l) => l.sequence)).toEqual([1, 2, 3]));
  });

  it("keeps as many as Rust does, the newest, however many arrive", async () => {
    const link = (sequence: number) => ({
      sequence,
      link: `dev.restreamstudio://n/${sequence}`,
      parameters: [],
      receivedAt: String(sequence),
    });
    const { result } = renderHook(() => useDeepLinks());
    act(() => {
      for (let sequence = 1; sequence <= 620; sequence += 1) ipc.emitLink(link(sequence));
    });
    await waitFor(() => expect(result.current.at(-1)?.sequence).toBe(620));
    expect(DEEP_LINKS_KEPT).toBe(20);
    expect(result.current.map((l) => l.sequence)).toEqual(
      Array.from({ length: DEEP_LINKS_KEPT }, (_, i) => 620 - DEEP_LINKS_KEPT + 1 + i),
    );
  });
});

describe("useRestream", () => {
  it("loads the snapshot when the service is up and follows job events", async () => {
    ipc.state.snapshot = {
      ...ipc.state.snapshot,
      job: job("running"),
      armed: ["twitch"],
      serverClockOffsetMs: 250,
    };
    const { result } = renderHook(() => useRestream(UP));
    await waitFor(() => expect(result.current.job?.status).toBe("running"));
    expect(result.current.armed).toEqual(["twitch"]);
    expect(result.current.clockOffsetMs).toBe(250);
    act(() => ipc.emitJob(job("stopped")));
    expect(result.current.job?.status).toBe("stopped");
  });

  it("is busy while a go-live is in flight and keeps the error it ends with", async () => {
    const answer = deferred<Result<Job>>();
    ipc.ipc.goLive = () => answer.promise;
    const { result } = renderHook(() => useRestream(UP));
    let started: Promise<boolean> = Promise.resolve(false);
    act(() => {
      started = result.current.goLive({ publisherSessionId: "sess_1" });
    });
    expect(result.current.busy).toBe(true);
    await act(async () => answer.settle({ ok: false, error: NETWORK_ERROR }));
    expect(await started).toBe(false);
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toEqual(NETWORK_ERROR);
  });

  it("settles on the job a stop returns", async () => {
    ipc.state.stopResult = { ok: true, data: job("stopped") };
    const { result } = renderHook(() => useRestream(UP));
    await act(() => result.current.stopLive());
    expect(result.current.job?.status).toBe("stopped");
    expect(result.current.busy).toBe(false);
  });

  it("drops a studio's errors with the studio, and never takes back one an event cleared", async () => {
    const refused = {
      ...NETWORK_ERROR,
      status: 401,
      code: "invalid_credential",
      concern: "connections" as const,
    };
    const unavailable = { ...NETWORK_ERROR, status: 503, code: "unavailable", concern: "service" as const };
    const snapshot = deferred<Result<StudioSnapshot>>();
    ipc.ipc.studioSnapshot = () => snapshot.promise;
    const { result, rerender } = renderHook(({ status }) => useRestream(status), {
      initialProps: { status: UP as ServiceStatus },
    });
    // The service's error clears while the snapshot, taken before, is on its way.
    act(() => ipc.emitStudioErrorCleared("service"));
    await act(async () =>
      snapshot.settle({ ok: true, data: { ...ipc.state.snapshot, errors: [refused, unavailable] } }),
    );
    expect(result.current.errors).toEqual([refused]);
    // The streamer fixes the key in Settings: that studio goes, and its errors with it.
    rerender({ status: { state: "starting", mode: "configured" } });
    expect(result.current.errors).toEqual([]);
  });

  it("words each connect outcome", async () => {
    const { result } = renderHook(() => useRestream(UP));
    await act(() => result.current.connectPlatform("kick"));
    expect(result.current.connect).toEqual({ state: "done", platform: "kick", outcome: "Connected." });
  });
});

const TWITCH: Connection = {
  platform: "twitch",
  platformUsername: "demo_twitch",
  connectedAt: 1,
  status: "ok",
};
const KICK: Connection = { ...TWITCH, platform: "kick", platformUsername: "demo_kick" };
const COUNTED: Viewers = { total: 17, platforms: { twitch: 12, kick: 5 }, updatedAt: 1 };

/** `useRestream` with the hook under test reading the store it holds. */
function withRestream<T>(select: (studio: StudioStore) => T) {
  return renderHook(() => {
    const restream = useRestream(UP);
    return { restream, selected: select(restream.studio) };
  });
}

describe("useConnections", () => {
  it("follows the linked accounts the studio holds, not its viewers", async () => {
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [TWITCH], viewers: COUNTED };
    const { result } = withRestream(useConnections);
    await waitFor(() => expect(result.current.selected.connections).toEqual([TWITCH]));
    act(() => ipc.emitConnections([TWITCH, KICK]));
    expect(result.current.selected.connections).toEqual([TWITCH, KICK]);
    act(() => ipc.emitViewers({ ...COUNTED, total: 18 }));
    expect(result.current.selected.connections).toEqual([TWITCH, KICK]);
    expect(result.current.selected.connections).toBe(result.current.restream.connections);
  });

  it("connects and disconnects through the studio useRestream holds", async () => {
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [TWITCH] };
    const unlinked: string[] = [];
    ipc.ipc.disconnectPlatform = async (platform) => {
      unlinked.push(platform);
      return { ok: false, error: NETWORK_ERROR };
    };
    const { result } = withRestream(useConnections);
    await act(() => result.current.selected.connect("kick"));
    expect(result.current.restream.connect).toEqual({
      state: "done",
      platform: "kick",
      outcome: "Connected.",
    });
    await act(() => result.current.selected.disconnect("twitch"));
    expect(unlinked).toEqual(["twitch"]);
    expect(result.current.restream.error).toEqual(NETWORK_ERROR);
  });

  it("adds no listener: the studio useRestream holds is the one that follows Rust", async () => {
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [TWITCH] };
    const alone = renderHook(() => useRestream(UP));
    const listeners = [ipc.listenerCount(), ipc.viewerFollowers()];
    alone.unmount();
    const { result } = withRestream((studio) => [useConnections(studio), useViewers(studio)] as const);
    await waitFor(() => expect(result.current.selected[0].connections).toEqual([TWITCH]));
    expect([ipc.listenerCount(), ipc.viewerFollowers()]).toEqual(listeners);
    expect(listeners).toEqual([2, 1]);
  });
});

describe("useViewers", () => {
  it("follows the viewer counts the studio holds, not its accounts", async () => {
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [TWITCH], viewers: COUNTED };
    const { result } = withRestream(useViewers);
    await waitFor(() => expect(result.current.selected).toEqual({ viewers: COUNTED }));
    const recounted: Viewers = { total: 4, platforms: { twitch: 4 }, updatedAt: 2 };
    act(() => ipc.emitViewers(recounted));
    expect(result.current.selected).toEqual({ viewers: recounted });
    act(() => ipc.emitConnections([KICK]));
    expect(result.current.selected).toEqual({ viewers: recounted });
    act(() => ipc.emitViewers(null));
    expect(result.current.selected).toEqual({ viewers: null });
  });
});

describe("useAuth", () => {
  it("follows the sign-in state Rust reports", async () => {
    ipc.state.snapshot = { ...ipc.state.snapshot, auth: { state: "signInRequired", reason: "Signed out." } };
    const { result } = renderHook(() => useAuth(UP));
    await waitFor(() => expect(result.current.auth?.state).toBe("signInRequired"));
    act(() => ipc.emitAuth({ state: "signedIn" }));
    expect(result.current.auth).toEqual({ state: "signedIn" });
  });

  it("shows only the latest sign-in: the loopback route replaces a waiting deep-link one", async () => {
    const first = deferred<Result<null>>();
    ipc.state.signInAnswers = [first.promise];
    const { result } = renderHook(() => useAuth(UP));
    let waiting: Promise<boolean> = Promise.resolve(true);
    act(() => {
      waiting = result.current.signIn();
    });
    expect(result.current.signingIn).toBe("deepLink");
    let second: Promise<boolean> = Promise.resolve(false);
    act(() => {
      second = result.current.signIn("loopback");
    });
    // The second sign-in's end renders (nothing is waiting any more): let it, inside act.
    let secondSignedIn = false;
    await act(async () => {
      secondSignedIn = await second;
    });
    expect(secondSignedIn).toBe(true);
    await act(async () =>
      first.settle({ ok: false, error: { ...NETWORK_ERROR, code: "sign_in_replaced", message: "replaced" } }),
    );
    expect(await waiting).toBe(false);
    expect(result.current.error).toBeNull();
    expect(result.current.signingIn).toBeNull();
    expect(ipc.state.signInRoutes).toEqual(["deepLink", "loopback"]);
  });

  it("keeps a failed sign-in's error", async () => {
    ipc.state.signInAnswers = [{ ok: false, error: NETWORK_ERROR }];
    const { result } = renderHook(() => useAuth(UP));
    await act(async () => {
      await result.current.signIn();
    });
    expect(result.current.error).toEqual(NETWORK_ERROR);
    expect(result.current.signingIn).toBeNull();
  });
});

/** Shows an `<i>` once its image is shown. */
function Avatar({ url }: { url: string }) {
  return useImage(url, "avatar").state === "shown" ? <i /> : null;
}

/** Draws a row's avatar for each of `urls` at once, until every one is shown, then takes them away. */
async function drawAvatars(urls: string[]) {
  const { container, unmount } = render(
    <div>
      {urls.map((url) => (
        <Avatar key={url} url={url} />
      ))}
    </div>,
  );
  await waitFor(() => expect(container.querySelectorAll("i")).toHaveLength(urls.length));
  unmount();
}

describe("useImage", () => {
  it("shows an image that has come in the first render of a row drawn after it, and renders once", async () => {
    forgetImages();
    ipc.ipc.fetchImage = async () => ({ ok: true, data: "data:image/png;base64,iVBORw0KGgo=" });
    const first = renderHook(() => useImage("https://cdn.example/a.png", "avatar"));
    await waitFor(() => expect(first.result.current.state).toBe("shown"));
    const states: string[] = [];
    renderHook(() => {
      const image = useImage("https://cdn.example/a.png", "avatar");
      states.push(image.state);
      return image;
    });
    await act(async () => {});
    expect(states, "no placeholder first, no second render").toEqual(["shown"]);
    forgetImages();
    const after: string[] = [];
    renderHook(() => {
      const image = useImage("https://cdn.example/a.png", "avatar");
      after.push(image.state);
      return image;
    });
    await waitFor(() => expect(after.at(-1)).toBe("shown"));
    expect(after[0], "forgotten images are asked for again").toBe("loading");
  });

  it("shows each image from one object URL made from its bytes, revoked when forgotten", async () => {
    // WebKit tells the app of every load of a `data:` image (each row's avatar, four messages
    // carrying the whole URL); of an object URL, once. Made and revoked here as recorded names.
    const made: Blob[] = [];
    const revoked: string[] = [];
    const real = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    forgetImages();
    URL.createObjectURL = (blob: Blob) => `blob:studio/${made.push(blob)}`;
    URL.revokeObjectURL = (url: string) => void revoked.push(url);
    try {
      ipc.ipc.fetchImage = async (url) =>
        url.endsWith(".svg")
          ? { ok: true, data: "data:image/svg+xml,%3Csvg%2F%3E" }
          : { ok: true, data: "data:image/png;base64,iVBORw0KGgo=" };
      const first = renderHook(() => useImage("https://cdn.example/a.png", "avatar"));
      await waitFor(() => expect(first.result.current).toEqual({ state: "shown", src: "blob:studio/1" }));
      const again = renderHook(() => useImage("https://cdn.example/a.png", "avatar"));
      expect(again.result.current, "a row drawn after it shows the same URL").toEqual({
        state: "shown",
        src: "blob:studio/1",
      });
      expect(made).toHaveLength(1);
      expect(made[0]?.type).toBe("image/png");
      // jsdom's Blob reads through a FileReader alone.
      const bytes = await new Promise<Uint8Array>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
        reader.onerror = () => reject(reader.error);
        reader.readAsArrayBuffer(made[0] ?? new Blob());
      });
      expect(Array.from(bytes), "the PNG's own bytes").toEqual([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
      ]);

      // A `data:` URL that is not base64 is shown as it came.
      const svg = renderHook(() => useImage("https://cdn.example/b.svg", "avatar"));
      await waitFor(() =>
        expect(svg.result.current).toEqual({ state: "shown", src: "data:image/svg+xml,%3Csvg%2F%3E" }),
      );
      expect(made).toHaveLength(1);

      forgetImages();
      expect(revoked, "forgotten, its object URL is let go").toEqual(["blob:studio/1"]);

      // Forgotten while on its way (a change of service): whoever waited draws the `data:` URL,
      // and no object URL is made that nothing would revoke.
      let answer: (result: { ok: true; data: string }) => void = () => {};
      ipc.ipc.fetchImage = () => new Promise((resolve) => (answer = resolve));
      const waiting = renderHook(() => useImage("https://cdn.example/c.png", "avatar"));
      forgetImages();
      await act(async () => answer({ ok: true, data: "data:image/png;base64,iVBORw0KGgo=" }));
      expect(waiting.result.current).toEqual({ state: "shown", src: "data:image/png;base64,iVBORw0KGgo=" });
      expect(made).toHaveLength(1);

      // Trimmed past the count bound, the oldest shown are revoked as they go.
      ipc.ipc.fetchImage = async () => ({ ok: true, data: "data:image/png;base64,iVBORw0KGgo=" });
      const many = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => `https://cdn.example/many-${from + i}.png`);
      await drawAvatars(many(0, 3));
      expect(made).toHaveLength(4);
      await drawAvatars(many(3, ASKED_KEPT));
      expect(made).toHaveLength(4 + ASKED_KEPT);
      expect(revoked.slice(1)).toEqual(["blob:studio/2", "blob:studio/3", "blob:studio/4"]);
    } finally {
      URL.createObjectURL = real.create;
      URL.revokeObjectURL = real.revoke;
      forgetImages();
    }
  });

  it("keeps answers within a count and a character bound, and forgets them all on demand", async () => {
    forgetImages();
    const big = `data:image/png;base64,${"A".repeat(1_000_000)}`;
    ipc.ipc.fetchImage = async () => ({ ok: true, data: big });
    for (let i = 0; i < 20; i++) {
      const { result, unmount } = renderHook(() => useImage(`https://cdn.example/${i}.png`, "avatar"));
      await waitFor(() => expect(result.current.state).toBe("shown"));
      unmount();
    }
    const kept = imagesKept();
    expect(kept.chars).toBeLessThanOrEqual(IMAGE_CHARS_KEPT);
    expect(kept.count).toBe(Math.floor(IMAGE_CHARS_KEPT / big.length));

    ipc.ipc.fetchImage = async () => ({ ok: true, data: "data:image/png;base64,iVBORw0KGgo=" });
    const urls = Array.from({ length: ASKED_KEPT + 20 }, (_, i) => `https://cdn.example/small-${i}.png`);
    await drawAvatars(urls);
    expect(imagesKept().count).toBe(ASKED_KEPT);
    forgetImages();
    expect(imagesKept()).toEqual({ count: 0, chars: 0 });
  });
});
