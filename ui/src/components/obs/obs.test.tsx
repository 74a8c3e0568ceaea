import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ObsView } from "../../ipc";
import { createFakeIpc, NETWORK_ERROR, OBS_OFF, PLATFORMS } from "../../test/fakeIpc";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("../../ipc", async (original) => ({
  ...(await original<typeof import("../../ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { App } = await import("../../App");

const LINKED: ObsView = {
  ...OBS_OFF,
  settings: { ...OBS_OFF.settings, enabled: true },
  link: { state: "connected", obsVersion: "29.0.2", websocketVersion: "5.1.0" },
  output: "stopped",
};

function setup(obs: ObsView = LINKED) {
  const ipc = createFakeIpc();
  fake.current = ipc;
  ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
  ipc.state.platforms = { ok: true, data: PLATFORMS };
  ipc.state.obs = obs;
  return ipc;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the OBS card", () => {
  it("is not there while the link is off, and comes when it is turned on", async () => {
    const ipc = setup(OBS_OFF);
    render(<App />);
    await screen.findByText("Twitch");
    expect(screen.queryByTestId("obs-card")).toBeNull();
    act(() => ipc.emitObs(LINKED));
    expect((await screen.findByTestId("obs-link")).textContent).toContain(
      "Linked to OBS 29.0.2 (obs-websocket 5.1.0).",
    );
  });

  it("says the cause and the fix when OBS does not answer or refuses the password", async () => {
    const ipc = setup({ ...LINKED, link: { state: "notListening", address: "127.0.0.1:4455" } });
    render(<App />);
    const link = await screen.findByTestId("obs-link");
    expect(link.textContent).toContain("Nothing answers at 127.0.0.1:4455");
    expect(link.textContent).toContain("Enable WebSocket server");
    expect(screen.queryByTestId("obs-start")).toBeNull();
    act(() => ipc.emitObs({ ...LINKED, link: { state: "wrongPassword", passwordGiven: false } }));
    expect(screen.getByTestId("obs-link").textContent).toContain(
      "OBS asks for a password, and none is saved here.",
    );
    expect(screen.getByTestId("obs-link").textContent).toContain(
      "Tools → WebSocket Server Settings → Show Connect Info",
    );
    act(() => ipc.emitObs({ ...LINKED, link: { state: "tooOld", websocketVersion: "4.9.1" } }));
    expect(screen.getByTestId("obs-link").textContent).toContain("obs-websocket 4.9.1 is too old");
  });

  it("shows OBS's health while it streams, and that it reconnects", async () => {
    const ipc = setup({
      ...LINKED,
      output: "streaming",
      health: {
        bitrateKbps: 2500,
        skippedFrames: 12,
        totalFrames: 1200,
        droppedPercent: 0.5,
        congestion: 0.1,
        reconnecting: false,
      },
    });
    render(<App />);
    const output = await screen.findByTestId("obs-output");
    expect(output.textContent).toContain(
      "OBS is streaming · 2,500 kb/s · 12 of 1,200 frames dropped (0.5 % lately) · congestion 10 %",
    );
    act(() => ipc.emitObs({ ...ipc.state.obs, output: "reconnecting" }));
    expect(screen.getByTestId("obs-output").textContent).toContain("OBS is reconnecting…");
    expect((screen.getByTestId("obs-start") as HTMLButtonElement).disabled).toBe(true);
  });

  it("turns a switch over by saving the settings with only that changed", async () => {
    const ipc = setup();
    render(<App />);
    fireEvent.click(await screen.findByTestId("obs-switch-stop"));
    await waitFor(() => expect(ipc.state.obsSaves).toHaveLength(1));
    expect(ipc.state.obsSaves[0]).toEqual({
      settings: { ...LINKED.settings, stopWhenObsStops: true },
      password: null,
    });
  });

  it("says which rule ends the stream, counts down a pending stop, and lists what it did", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const ipc = setup();
    render(<App />);
    await screen.findByTestId("obs-card");
    const now = Date.now();
    act(() =>
      ipc.emitObs({
        ...LINKED,
        stopRule: { rule: "afterGrace", seconds: 10 },
        stoppingAt: String(now + 10_000),
        activity: [{ at: String(now), news: { kind: "stoppingSoon", seconds: 10 } }],
      }),
    );
    expect(screen.getByTestId("obs-rule").textContent).toContain("This stream stops 10 s after OBS stops.");
    expect(screen.getByTestId("obs-stopping").textContent).toContain("Stopping in 10 s");
    await act(async () => {
      vi.advanceTimersByTime(3_000);
    });
    expect(screen.getByTestId("obs-stopping").textContent).toContain("Stopping in 7 s");
    expect(within(screen.getByTestId("obs-activity")).getByText(/the stream stops in 10 s/)).toBeTruthy();
  });

  it("asks OBS to start streaming from the studio", async () => {
    const ipc = setup();
    render(<App />);
    fireEvent.click(await screen.findByTestId("obs-start"));
    await waitFor(() => expect(ipc.state.obsStarts).toBe(1));
  });
});

describe("Set up OBS", () => {
  it("shows both targets with masked keys and writes them on confirm", async () => {
    const ipc = setup();
    ipc.state.obsPreview = {
      ok: true,
      data: {
        now: { kind: "rtmp_common", server: "auto", keyMasked: "••••••••abcd" },
        next: { kind: "rtmp_custom", server: "rtmp://127.0.0.1:1935/live", keyMasked: "••••••••wxyz" },
        alreadySet: false,
        streaming: false,
      },
    };
    render(<App />);
    fireEvent.click(await screen.findByTestId("obs-set-up"));
    const setup_ = await screen.findByTestId("obs-setup");
    await within(setup_).findByText("rtmp://127.0.0.1:1935/live");
    expect(setup_.textContent).toContain("••••••••abcd");
    expect(setup_.textContent).toContain("••••••••wxyz");
    fireEvent.click(screen.getByTestId("obs-setup-confirm"));
    expect((await screen.findByTestId("obs-setup-done")).textContent).toContain(
      "OBS now streams to the service's ingest.",
    );
    expect(ipc.state.obsApplies).toBe(1);
  });

  it("refuses while OBS streams and shows an error from Rust as it is", async () => {
    const ipc = setup();
    ipc.state.obsPreview = {
      ok: true,
      data: {
        now: { kind: "rtmp_custom", server: null, keyMasked: null },
        next: { kind: "rtmp_custom", server: "rtmp://x/live", keyMasked: "••••••••" },
        alreadySet: false,
        streaming: true,
      },
    };
    render(<App />);
    fireEvent.click(await screen.findByTestId("obs-set-up"));
    expect(await screen.findByText("OBS is streaming: stop it in OBS first, then set it up.")).toBeTruthy();
    expect((screen.getByTestId("obs-setup-confirm") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getAllByText("nothing set")).toHaveLength(2);
    ipc.state.obsPreview = { ok: false, error: { ...NETWORK_ERROR, cause: "This service runs no ingest." } };
    fireEvent.click(screen.getByTestId("obs-setup-close"));
    fireEvent.click(screen.getByTestId("obs-set-up"));
    expect((await screen.findByTestId("obs-setup-error")).textContent).toContain(
      "This service runs no ingest.",
    );
  });
});

describe("the OBS settings", () => {
  it("keeps what was typed when a save is refused, and never shows the saved password", async () => {
    const ipc = setup({ ...LINKED, hasPassword: true });
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    const password = (await screen.findByTestId("obs-password")) as HTMLInputElement;
    expect(password.value).toBe("");
    expect(password.placeholder).toBe("Saved in the keychain; leave empty to keep it");
    ipc.state.obsSaveAnswer = {
      ok: false,
      error: {
        ...NETWORK_ERROR,
        code: "obs_settings_invalid",
        cause: "OBS host: a host name or IP address alone",
      },
    };
    fireEvent.change(screen.getByTestId("obs-host"), { target: { value: "ws://obs" } });
    fireEvent.change(password, { target: { value: "typed-secret" } });
    fireEvent.click(screen.getByTestId("obs-save"));
    expect((await screen.findByTestId("obs-settings-error")).textContent).toContain("OBS host:");
    expect((screen.getByTestId("obs-host") as HTMLInputElement).value).toBe("ws://obs");
    expect(password.value).toBe("typed-secret");
    expect(ipc.state.obsSaves[0]?.password).toBe("typed-secret");
  });

  it("sends no password when the field is left empty, and an empty one to forget it", async () => {
    const ipc = setup({ ...LINKED, hasPassword: true });
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    fireEvent.change(await screen.findByTestId("obs-port"), { target: { value: "4460" } });
    fireEvent.click(screen.getByTestId("obs-save"));
    await waitFor(() => expect(ipc.state.obsSaves).toHaveLength(1));
    expect(ipc.state.obsSaves[0]).toEqual({ settings: { ...LINKED.settings, port: 4460 }, password: null });
    fireEvent.click(screen.getByTestId("obs-forget-password"));
    await waitFor(() => expect(ipc.state.obsSaves).toHaveLength(2));
    expect(ipc.state.obsSaves[1]?.password).toBe("");
  });
});
