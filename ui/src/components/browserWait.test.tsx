import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BrowserWait, ConnectOutcome, Result } from "../ipc";
import { createFakeIpc, PLATFORMS } from "../test/fakeIpc";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("../ipc", async (original) => ({
  ...(await original<typeof import("../ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { App } = await import("../App");

const CONSENT = "http://127.0.0.1:4000/hosted/consent/auth_1";
const twitchWait: BrowserWait = {
  page: "connect",
  platform: "twitch",
  url: CONSENT,
  slow: false,
  couldNotOpen: null,
};

/** A promise and the function that settles it. */
function later<T>() {
  let settle: (value: T) => void = () => {};
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

function setup() {
  const ipc = createFakeIpc();
  fake.current = ipc;
  ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
  ipc.state.platforms = { ok: true, data: PLATFORMS };
  return ipc;
}

const writeText = vi.fn<(text: string) => Promise<void>>();

describe("a page waiting in the browser", () => {
  beforeEach(() => {
    writeText.mockReset();
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
  });
  afterEach(() => {
    fake.current = null;
  });

  it("is never a dead end: its address to copy, Open again, Cancel, a hint, and other platforms connect meanwhile", async () => {
    const ipc = setup();
    const twitch = later<Result<ConnectOutcome>>();
    ipc.state.connectAnswers.push(twitch.promise);
    render(<App />);
    fireEvent.click(await screen.findByTestId("connect-twitch"));
    const row = () =>
      screen.getByTestId("platform-list").querySelector('[data-platform="twitch"]') as HTMLElement;
    await waitFor(() => expect(row().textContent).toContain("Opening the browser…"));

    act(() => ipc.emitBrowserWaits([twitchWait]));
    const note = await screen.findByTestId("waiting-twitch");
    expect((within(note).getByTestId("waiting-twitch-url") as HTMLInputElement).value).toBe(CONSENT);
    expect(within(note).queryByTestId("waiting-twitch-hint")).toBeNull();
    expect(screen.queryByTestId("connect-twitch")).toBeNull();

    writeText.mockResolvedValueOnce(undefined);
    fireEvent.click(within(note).getByTestId("waiting-twitch-copy"));
    await within(note).findByText("Copied.");
    expect(writeText).toHaveBeenCalledWith(CONSENT);
    writeText.mockRejectedValueOnce(new Error("denied"));
    fireEvent.click(within(note).getByTestId("waiting-twitch-copy"));
    await within(note).findByText("Select the address and copy it.");

    fireEvent.click(within(note).getByTestId("waiting-twitch-reopen"));
    await waitFor(() =>
      expect(ipc.state.browserWaitCalls).toEqual([
        { call: "reopen", page: { page: "connect", platform: "twitch" } },
      ]),
    );

    // A minute with no answer: the row says what may be wrong.
    act(() => ipc.emitBrowserWaits([{ ...twitchWait, slow: true }]));
    expect((await screen.findByTestId("waiting-twitch-hint")).textContent).toContain(
      "no browser window came up",
    );

    // Kick connects while Twitch waits.
    fireEvent.click(screen.getByTestId("connect-kick"));
    expect((await screen.findByTestId("connect-outcome")).textContent).toBe("Connected.");
    expect(screen.getByTestId("waiting-twitch")).toBeTruthy();

    fireEvent.click(screen.getByTestId("waiting-twitch-cancel"));
    await waitFor(() =>
      expect(ipc.state.browserWaitCalls.at(-1)).toEqual({
        call: "cancel",
        page: { page: "connect", platform: "twitch" },
      }),
    );
    // Rust ends the wait and the connect.
    act(() => ipc.emitBrowserWaits([]));
    await act(async () => twitch.settle({ ok: true, data: { outcome: "cancelled", platform: "twitch" } }));
    expect(screen.queryByTestId("waiting-twitch")).toBeNull();
    expect(screen.getByTestId("connect-outcome").textContent).toBe("Cancelled.");
    expect(screen.getByTestId("connect-twitch").textContent).toBe("Connect");
  });

  it("says why the browser could not be opened, and shows a wait already under way at start", async () => {
    const ipc = setup();
    // The window opens (or reloads) while Rust waits: the snapshot has it.
    ipc.state.snapshot = {
      ...ipc.state.snapshot,
      browserWaits: [{ ...twitchWait, couldNotOpen: "the system browser could not be started" }],
    };
    render(<App />);
    const note = await screen.findByTestId("waiting-twitch");
    expect(note.textContent).toContain(
      "The browser could not be opened (the system browser could not be started). Open this address in a browser:",
    );
    // The hint is for a browser that may have opened; this one is already explained.
    act(() =>
      ipc.emitBrowserWaits([
        { ...twitchWait, slow: true, couldNotOpen: "the system browser could not be started" },
      ]),
    );
    expect(screen.queryByTestId("waiting-twitch-hint")).toBeNull();
    act(() => ipc.emitBrowserWaits([]));
    expect(screen.queryByTestId("waiting-twitch")).toBeNull();
  });

  it("treats the sign-in the same way, and a sign-in cancelled here is no error", async () => {
    const ipc = setup();
    ipc.state.snapshot = {
      ...ipc.state.snapshot,
      auth: { state: "signInRequired", reason: "Sign in to stream." },
    };
    const signIn = later<Result<null>>();
    ipc.state.signInAnswers.push(signIn.promise);
    render(<App />);
    fireEvent.click(await screen.findByTestId("sign-in"));
    await screen.findByTestId("sign-in-waiting");
    const url = "http://127.0.0.1:4000/operator/authorize?client_id=demo&state=abc";
    act(() => ipc.emitBrowserWaits([{ page: "signIn", url, slow: true, couldNotOpen: null }]));
    const note = await screen.findByTestId("sign-in-page");
    expect((within(note).getByTestId("sign-in-page-url") as HTMLInputElement).value).toBe(url);
    expect(within(note).getByTestId("sign-in-page-hint")).toBeTruthy();
    fireEvent.click(within(note).getByTestId("sign-in-page-reopen"));
    fireEvent.click(within(note).getByTestId("sign-in-page-cancel"));
    await waitFor(() =>
      expect(ipc.state.browserWaitCalls).toEqual([
        { call: "reopen", page: { page: "signIn" } },
        { call: "cancel", page: { page: "signIn" } },
      ]),
    );
    act(() => ipc.emitBrowserWaits([]));
    await act(async () =>
      signIn.settle({
        ok: false,
        error: {
          code: "sign_in_cancelled",
          status: 0,
          message: "The sign-in was cancelled.",
          cause: "The sign-in was cancelled.",
          fix: "Sign in again when you are ready.",
          concern: null,
        },
      }),
    );
    const panel = screen.getByTestId("sign-in-panel");
    expect(within(panel).getByTestId("sign-in")).toBeTruthy();
    expect(within(panel).queryByRole("alert")).toBeNull();
  });
});
