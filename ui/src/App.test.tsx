import { act, fireEvent, render, renderHook, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { isolate } from "./bidi";
import type { Connection } from "./ipc";
import { createFakeIpc, jobFixture, NETWORK_ERROR, PLATFORMS } from "./test/fakeIpc";
import { setVisibility } from "./test/visibility";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("./ipc", async (original) => ({
  ...(await original<typeof import("./ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { App } = await import("./App");
const { useImage, imagesKept } = await import("./hooks/useImage");

function setup() {
  fake.current = createFakeIpc();
  return fake.current;
}

describe("App", () => {
  beforeEach(() => {
    fake.current = null;
  });

  it("tells the studio when the window is hidden or minimized and when it shows again", async () => {
    const ipc = setup();
    render(<App />);
    await screen.findByTestId("product-name");
    await waitFor(() => expect(ipc.state.windowSeen).toEqual([true]));
    setVisibility("hidden");
    await waitFor(() => expect(ipc.state.windowSeen).toEqual([true, false]));
    setVisibility("visible");
    await waitFor(() => expect(ipc.state.windowSeen).toEqual([true, false, true]));
  });

  it("waits for the service, then lists its platforms", async () => {
    const ipc = setup();
    ipc.state.platforms = { ok: true, data: PLATFORMS };
    render(<App />);
    expect(await screen.findByText(/Demo service: starting/)).toBeTruthy();
    expect(ipc.state.platformCalls).toBe(0);

    act(() => ipc.emitStatus({ state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null }));
    const list = await screen.findByTestId("platform-list");
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["TwitchConnect", "KickConnect", "YouTubenot enabled by your operator"]);
    expect(screen.getByTestId("service-status").textContent).toContain("http://127.0.0.1:4000");
  });

  it("shows cause, fix and status of an error, and retries", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "configured", apiBase: "https://api.example.com", warning: null };
    ipc.state.platforms = { ok: false, error: NETWORK_ERROR };
    render(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Can't reach the Restream Service.");
    expect(alert.textContent).toContain("Check the API base");
    expect(alert.textContent).toContain("no answer · network");

    ipc.state.platforms = { ok: true, data: PLATFORMS };
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await screen.findByTestId("platform-list");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(ipc.state.platformCalls).toBe(2);
  });

  it("forgets the images of one service when it talks to another", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    render(<App />);
    await waitFor(() => expect(screen.getByTestId("service-status").textContent).toContain("127.0.0.1:4000"));
    const { result } = renderHook(() => useImage("https://cdn.example/a.png", "avatar"));
    await waitFor(() => expect(result.current.state).toBe("shown"));
    expect(imagesKept().count).toBe(1);
    act(() =>
      ipc.emitStatus({ state: "up", mode: "configured", apiBase: "https://other.example", warning: null }),
    );
    expect(imagesKept().count).toBe(0);
  });

  it("explains a service that is down", async () => {
    const ipc = setup();
    ipc.state.status = {
      state: "down",
      mode: "configured",
      cause: "The API base in RESTREAM_STUDIO_API_BASE is not usable.",
      fix: "The API base must start with https://",
    };
    render(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("not usable");
    expect(alert.textContent).toContain("https://");
  });

  it("merges deep links from before mount with new ones, once each, as text", async () => {
    const ipc = setup();
    const first = {
      sequence: 1,
      link: "dev.restreamstudio://connect/callback",
      parameters: ["state"],
      receivedAt: "1",
    };
    ipc.state.links = [first];
    render(<App />);
    await screen.findByText("dev.restreamstudio://connect/callback");
    act(() => {
      ipc.emitLink(first);
      ipc.emitLink({ sequence: 2, link: "dev.restreamstudio://<b>x</b>", parameters: [], receivedAt: "2" });
    });
    const items = await waitFor(() => {
      const found = within(screen.getByTestId("deep-links")).getAllByRole("listitem");
      expect(found).toHaveLength(2);
      return found;
    });
    expect(items[0]?.querySelector("code")?.textContent).toBe("dev.restreamstudio://<b>x</b>");
    expect(items[0]?.querySelector("b")).toBeNull();
  });

  it("unsubscribes from events when unmounted", async () => {
    const ipc = setup();
    const view = render(<App />);
    await screen.findByText(/starting/);
    expect(ipc.listenerCount()).toBe(2);
    view.unmount();
    expect(ipc.listenerCount()).toBe(0);
  });
});

describe("linking and going live", () => {
  const twitch: Connection = {
    platform: "twitch",
    platformUsername: "demo_twitch",
    connectedAt: 1,
    status: "ok",
  };

  it("shows linked accounts and Reconnect for a revoked one", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.platforms = { ok: true, data: PLATFORMS };
    render(<App />);
    await screen.findByTestId("platform-list");
    act(() => ipc.emitConnections([twitch, { ...twitch, platform: "kick", status: "reauth_required" }]));
    expect((await screen.findByTestId("linked-twitch")).textContent).toContain("demo_twitch");
    expect(screen.getByTestId("connect-kick").textContent).toBe("Reconnect");
  });

  it("validates go-live at the field and keeps the typed session id on failure", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [twitch] };
    render(<App />);
    const input = (await screen.findByTestId("session-id")) as HTMLInputElement;
    const button = screen.getByTestId("go-live") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(input, { target: { value: "   " } });
    expect(screen.getByText(/Paste the publisher session id/)).toBeTruthy();
    fireEvent.change(input, { target: { value: "  sess_1  " } });
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    await screen.findByRole("alert");
    expect(ipc.state.goLiveCalls).toHaveLength(1);
    expect(ipc.state.goLiveCalls[0]).toMatchObject({
      publisherSessionId: "sess_1",
      destinations: ["twitch"],
    });
    expect(input.value).toBe("  sess_1  ");
  });

  it("shows each concern's error until that concern succeeds, and never one that is no longer true", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.snapshot = {
      ...ipc.state.snapshot,
      connections: [twitch],
      errors: [{ ...NETWORK_ERROR, status: 503, code: "unavailable", concern: "service" }],
    };
    render(<App />);
    await waitFor(() => expect(screen.getAllByRole("alert")).toHaveLength(1));
    const rejected = {
      ...NETWORK_ERROR,
      status: 422,
      code: "invalid_request",
      cause: "Bad title.",
      concern: "job" as const,
    };
    act(() => ipc.emitStudioError(rejected));
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toEqual([
      expect.stringContaining("HTTP 503"),
      expect.stringContaining("Bad title."),
    ]);
    // The service answers again: its error goes, the job's stays until the job works.
    act(() => ipc.emitStudioErrorCleared("service"));
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toEqual([
      expect.stringContaining("Bad title."),
    ]);
    // The same concern failing again replaces its error rather than stacking it.
    act(() => ipc.emitStudioError({ ...rejected, cause: "Bad banner." }));
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toEqual([
      expect.stringContaining("Bad banner."),
    ]);
    act(() => ipc.emitStudioErrorCleared("job"));
    expect(screen.queryByRole("alert")).toBeNull();

    // An error the studio never filed (it was not reached) is the window's, until the action works.
    fireEvent.change(screen.getByTestId("session-id"), { target: { value: "sess_1" } });
    fireEvent.click(screen.getByTestId("go-live"));
    expect((await screen.findByRole("alert")).textContent).toContain("Can't reach the Restream Service.");
    ipc.state.goLiveResult = { ok: true, data: jobFixture() };
    fireEvent.click(screen.getByTestId("go-live"));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });
});

describe("token mode", () => {
  it("asks to sign in, then shows the studio", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "configured", apiBase: "https://api.example.com", warning: null };
    ipc.state.platforms = { ok: true, data: PLATFORMS };
    ipc.state.snapshot = {
      ...ipc.state.snapshot,
      auth: { state: "signInRequired", reason: "Sign in to stream." },
    };
    render(<App />);
    const panel = await screen.findByTestId("sign-in-panel");
    expect(panel.textContent).toContain("Sign in to stream.");
    expect(screen.queryByTestId("platform-list")).toBeNull();
    fireEvent.click(within(panel).getByTestId("sign-in"));
    await screen.findByTestId("sign-out");
    expect(screen.queryByTestId("sign-in-panel")).toBeNull();
  });
});

describe("a publishable key off this computer", () => {
  it("is warned about in the main window for as long as it runs", async () => {
    const ipc = setup();
    const warning = "Anyone who has this publishable key can act as any user of this service.";
    ipc.state.status = { state: "up", mode: "configured", apiBase: "https://api.example.com", warning };
    render(<App />);
    expect((await screen.findByTestId("service-warning")).textContent).toBe(warning);
    act(() => ipc.emitStatus({ state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null }));
    await waitFor(() => expect(screen.queryByTestId("service-warning")).toBeNull());
  });
});

describe("closing while live", () => {
  it("asks, and passes the streamer's choice to Rust", async () => {
    const ipc = setup();
    render(<App />);
    await screen.findByText(/starting/);
    act(() => ipc.requestClose());
    const dialog = await screen.findByRole("alertdialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep streaming in the background" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    act(() => ipc.requestClose());
    fireEvent.keyDown(await screen.findByRole("alertdialog"), { key: "Escape" });
    await waitFor(() => expect(ipc.state.closeChoices).toEqual(["keepStreaming", "cancel"]));
  });
});

describe("settings", () => {
  it("checks as typed, keeps the text, and saves", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    fireEvent.click(await screen.findByTestId("mode-service"));
    expect(await screen.findByTestId("operator-client-id")).toBeTruthy();
    expect((screen.getByTestId("mode-token") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(await screen.findByTestId("mode-publishableKey"));
    const base = (await screen.findByTestId("api-base")) as HTMLInputElement;
    fireEvent.change(base, { target: { value: "http://api.example.com" } });
    expect((await screen.findByTestId("settings-problem")).textContent).toContain("https://");
    expect((screen.getByTestId("save-settings") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(base, { target: { value: "https://api.example.com" } });
    await waitFor(() => expect(screen.queryByTestId("settings-problem")).toBeNull());
    expect(base.value).toBe("https://api.example.com");
    fireEvent.click(screen.getByTestId("save-settings"));
    await waitFor(() => expect(ipc.state.saved).toHaveLength(1));
    expect(ipc.state.saved[0]?.apiBase).toBe("https://api.example.com");
  });

  it("says before saving that a key lasts until quit when there is no keychain", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.settingsSecrets = { state: "sessionOnly", reason: "No keychain." };
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    fireEvent.click(await screen.findByTestId("mode-service"));
    fireEvent.click(await screen.findByTestId("mode-publishableKey"));
    expect((await screen.findByTestId("key-session-only")).textContent).toContain(
      "lasts only until you quit",
    );
  });

  it("offers nothing to edit until the saved settings are read", async () => {
    const ipc = setup();
    let finishReading: (failure: null) => void = () => {};
    ipc.state.settingsRead = new Promise((resolve) => {
      finishReading = resolve;
    });
    ipc.state.settingsDraft = { ...ipc.state.settingsDraft, mode: "token", apiBase: "https://saved.example" };
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    const settings = await screen.findByTestId("settings");
    expect(within(settings).getByRole("status").textContent).toBe("Reading the saved settings…");
    expect(screen.queryByTestId("mode-demo")).toBeNull();
    expect(screen.queryByTestId("save-settings")).toBeNull();
    act(() => finishReading(null));
    expect(((await screen.findByTestId("api-base")) as HTMLInputElement).value).toBe("https://saved.example");
  });

  it("says why the saved settings cannot be read, and saves nothing", async () => {
    const ipc = setup();
    const failure = { ...NETWORK_ERROR, code: "config_dir", cause: "No settings folder.", fix: "Set HOME." };
    ipc.state.settingsRead = Promise.resolve(failure);
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    expect((await screen.findByTestId("settings-unreadable")).textContent).toBe(
      "No settings folder. Set HOME.",
    );
    expect(screen.queryByTestId("save-settings")).toBeNull();
    expect(screen.getByRole("button", { name: "Close" })).toBeTruthy();
  });
});

describe("a branded build", () => {
  it("shows the brand's name and colour, and fixes what the brand locks", async () => {
    const ipc = setup();
    ipc.state.brand = {
      productName: "Acme Live Studio",
      accent: "#0b5cad",
      platforms: ["twitch", "youtube", "kick"],
      demoOffered: false,
      allowPublishableKey: false,
      locked: { apiBase: true, credentialMode: true, operator: true },
    };
    ipc.state.settingsDraft = {
      ...ipc.state.settingsDraft,
      mode: "token",
      apiBase: "https://restream.acme.example",
      operatorClientId: "acme-live-desktop",
    };
    ipc.state.status = { state: "starting", mode: "configured" };
    render(<App />);
    // The heading is there from the start; the brand's name comes once Rust answers.
    expect(await screen.findByText("Acme Live Studio")).toBeTruthy();
    expect(document.documentElement.style.getPropertyValue("--accent")).toBe("#0b5cad");
    fireEvent.click(await screen.findByTestId("open-settings"));
    expect((await screen.findByTestId("settings-locked")).textContent).toContain("Acme Live Studio");
    expect(screen.queryByTestId("mode-demo")).toBeNull();
    expect(screen.queryByTestId("mode-publishableKey")).toBeNull();
    const base = (await screen.findByTestId("api-base")) as HTMLInputElement;
    expect(base.value).toBe("https://restream.acme.example");
    expect(base.disabled).toBe(true);
    expect((screen.getByTestId("operator-client-id") as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId("operator-url") as HTMLInputElement).disabled).toBe(true);
  });

  it("gathers diagnostics from Rust and shows them", async () => {
    const ipc = setup();
    ipc.state.diagnostics = "Acme Live Studio 0.1.0\nRecent problems:\n  none";
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    fireEvent.click(await screen.findByTestId("copy-diagnostics"));
    const text = (await screen.findByTestId("diagnostics-text")) as HTMLTextAreaElement;
    expect(text.value).toContain("Recent problems");
    expect(text.readOnly).toBe(true);
  });

  it("offers what an unlocked brand allows", async () => {
    setup();
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    expect(await screen.findByTestId("mode-demo")).toBeTruthy();
    expect(screen.queryByTestId("settings-locked")).toBeNull();
    fireEvent.click(screen.getByTestId("mode-service"));
    expect(await screen.findByTestId("mode-publishableKey")).toBeTruthy();
    expect((screen.getByTestId("api-base") as HTMLInputElement).disabled).toBe(false);
  });
});

describe("go-live options", () => {
  const twitch: Connection = {
    platform: "twitch",
    platformUsername: "demo_twitch",
    connectedAt: 1,
    status: "ok",
  };

  it("fills the session id from a deep link but never goes live by itself", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [twitch] };
    render(<App />);
    const input = (await screen.findByTestId("session-id")) as HTMLInputElement;
    // The form subscribes once it has mounted; a link before that is not its to take.
    await waitFor(() => {
      act(() => ipc.prefill("sess_from_link"));
      expect(input.value).toBe("sess_from_link");
    });
    expect(ipc.state.goLiveCalls).toHaveLength(0);
  });

  it("sends title, video only and banners, and refuses a bad banner at the field", async () => {
    const ipc = setup();
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [twitch] };
    render(<App />);
    fireEvent.change(await screen.findByTestId("session-id"), { target: { value: "s1" } });
    fireEvent.change(screen.getByTestId("title"), { target: { value: "Ranked" } });
    fireEvent.click(screen.getByTestId("video-only"));
    fireEvent.change(screen.getByTestId("top-banner"), { target: { value: "ftp://x" } });
    expect(await screen.findByText("Use an https:// address.")).toBeTruthy();
    expect((screen.getByTestId("go-live") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("top-banner"), {
      target: { value: "https://cdn.example.com/top.png" },
    });
    await waitFor(() => expect((screen.getByTestId("go-live") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("go-live"));
    await waitFor(() => expect(ipc.state.goLiveCalls).toHaveLength(1));
    expect(ipc.state.goLiveCalls[0]).toMatchObject({
      publisherSessionId: "s1",
      title: "Ranked",
      trackNames: ["video"],
      overlay: { topBanner: "https://cdn.example.com/top.png", htmlBanner: null },
    });
  });
});

describe("in Spanish", () => {
  it("shows every screen in the chosen language, with no English left in the same spots", async () => {
    const ipc = setup();
    ipc.state.preferences = { ...ipc.state.preferences, language: "es" };
    ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
    ipc.state.platforms = { ok: true, data: PLATFORMS };
    ipc.state.snapshot = {
      ...ipc.state.snapshot,
      connections: [{ platform: "twitch", platformUsername: "demo_twitch", connectedAt: 1, status: "ok" }],
      job: jobFixture({
        status: "stopped",
        startedAt: null,
        broadcasts: [{ platform: "twitch", status: "stopped" }],
      }),
    };
    render(<App />);

    // Go live.
    expect(await screen.findByRole("heading", { name: "Emitir en directo" })).toBeTruthy();
    expect(screen.getByTestId("go-live").textContent).toBe("Emitir en directo");
    expect(screen.getByText("Destinos")).toBeTruthy();
    // The linked account arrives with the snapshot, after the first render.
    expect(await screen.findByText("demo_twitch en twitch")).toBeTruthy();
    fireEvent.change(screen.getByTestId("session-id"), { target: { value: " " } });
    expect(screen.getByTestId("go-live-problem").textContent).toBe(
      "Pega el ID de la sesión de publicación de tu directo.",
    );

    // Platforms.
    expect(screen.getByRole("heading", { name: "Plataformas" })).toBeTruthy();
    expect((await screen.findByTestId("connect-kick")).textContent).toBe("Conectar");
    expect(screen.getByText("no habilitada por tu operador")).toBeTruthy();

    // The stream, and its chat (the reason for the stop comes from Rust as it is).
    expect(screen.getByTestId("job-status").textContent).toBe("Detenida");
    expect(screen.getByRole("heading", { name: "Emisión: Detenida" })).toBeTruthy();
    expect(within(screen.getByTestId("destinations")).getByText("detenido")).toBeTruthy();
    expect(screen.getByTestId("chat-status").textContent).toBe(`Detenido: ${isolate("no live job")}`);
    expect((screen.getByTestId("chat-input") as HTMLTextAreaElement).placeholder).toBe(
      "Puedes escribir en el chat mientras estás en directo",
    );
    expect(screen.getByText("Aún no hay mensajes.")).toBeTruthy();
    expect(screen.getByTestId("service-status").textContent).toContain("Servicio demo");

    for (const english of [
      "Go live",
      "Platforms",
      "Destinations",
      "Connect",
      "Stopped",
      "stopped",
      "No messages yet.",
    ]) {
      expect(screen.queryByText(english), english).toBeNull();
    }
    expect(document.body.textContent).not.toMatch(/Stream:|Demo service|Paste the publisher|not enabled/);
  });
});

describe("the companion window", () => {
  const twitch: Connection = {
    platform: "twitch",
    platformUsername: "demo_twitch",
    connectedAt: 1,
    status: "ok",
  };
  const running = jobFixture({
    id: "job_keys",
    destinations: ["twitch", "kick"],
    broadcasts: [],
  });
  const up = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null } as const;
  const keys = (code: string, extra: Partial<KeyboardEventInit> = {}) =>
    fireEvent.keyDown(window, { code, key: code.replace("Key", "").toLowerCase(), ...extra });

  it("applies the chosen theme and language at once and saves them", async () => {
    const ipc = setup();
    ipc.state.status = up;
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    fireEvent.change(await screen.findByTestId("pref-theme"), { target: { value: "dark" } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
    fireEvent.change(screen.getByTestId("pref-language"), { target: { value: "es" } });
    await waitFor(() => expect(document.documentElement.lang).toBe("es"));
    expect(screen.getByRole("heading", { name: "Preferencias" })).toBeTruthy();
    // "System" names the desktop's own language.
    expect(screen.getByRole("option", { name: "Igual que el escritorio (Español)" })).toBeTruthy();
    expect(ipc.state.savedPreferences.map((p) => [p.theme, p.language])).toEqual([
      ["dark", "en"],
      ["dark", "es"],
    ]);
  });

  it("says which global shortcuts another app holds", async () => {
    const ipc = setup();
    ipc.state.status = up;
    ipc.state.shortcutsTaken = ["Ctrl+Shift+F9"];
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    fireEvent.click(await screen.findByTestId("pref-global-shortcuts"));
    expect((await screen.findByTestId("shortcuts-taken")).textContent).toContain("Ctrl+Shift+F9");
  });

  it("goes live by shortcut, and says why not when it cannot", async () => {
    const ipc = setup();
    ipc.state.status = up;
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [twitch] };
    render(<App />);
    const input = (await screen.findByTestId("session-id")) as HTMLInputElement;
    keys("KeyL", { ctrlKey: true, shiftKey: true });
    expect((await screen.findByTestId("go-live-problem")).textContent).toMatch(/session id/);
    expect(document.activeElement).toBe(input);
    expect(ipc.state.goLiveCalls).toHaveLength(0);
    fireEvent.change(input, { target: { value: "sess_keys" } });
    keys("KeyL", { ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(ipc.state.goLiveCalls).toHaveLength(1));
  });

  it("stops by shortcut or from the tray only after asking, and lists the shortcuts", async () => {
    const ipc = setup();
    ipc.state.status = up;
    ipc.state.snapshot = { ...ipc.state.snapshot, connections: [twitch], job: running };
    ipc.state.stopResult = { ok: true, data: { ...running, status: "stopping" } };
    render(<App />);
    await screen.findByTestId("job-status");
    keys("KeyE", { ctrlKey: true, shiftKey: true });
    const dialog = await screen.findByTestId("stop-dialog");
    expect(dialog.textContent).toContain("Stop the stream on 2 platforms?");
    expect(document.activeElement).toBe(screen.getByTestId("stop-cancel"));
    fireEvent.click(screen.getByTestId("stop-cancel"));
    expect(screen.queryByTestId("stop-dialog")).toBeNull();

    act(() => ipc.requestAction("stop"));
    fireEvent.click(await screen.findByTestId("stop-confirm"));
    await waitFor(() => expect(screen.getByTestId("job-status").textContent).toBe("Stopping…"));

    keys("F1", { key: "F1" });
    const help = await screen.findByTestId("help-overlay");
    expect(
      within(help)
        .getAllByRole("term")
        .map((k) => k.textContent),
    ).toContain("Ctrl+Shift+D");
    keys("KeyD", { ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(ipc.state.compactToggles).toBe(1));
  });
});
