import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { OverlayView } from "../../ipc";
import { createFakeIpc, NETWORK_ERROR, OVERLAY_ADDRESS, OVERLAY_SERVING } from "../../test/fakeIpc";

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeIpc> | null }));
vi.mock("../../ipc", async (original) => ({
  ...(await original<typeof import("../../ipc")>()),
  get ipc() {
    return fake.current?.ipc;
  },
}));

const { App } = await import("../../App");

const writeText = vi.fn<(text: string) => Promise<void>>();

beforeEach(() => {
  writeText.mockReset();
  Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
});

/** The studio with its settings open, the overlay as `overlay`. */
async function overlaySettings(overlay: OverlayView = OVERLAY_SERVING) {
  const ipc = createFakeIpc();
  fake.current = ipc;
  ipc.state.status = { state: "up", mode: "demo", apiBase: "http://127.0.0.1:4000", warning: null };
  ipc.state.overlay = overlay;
  render(<App />);
  fireEvent.click(await screen.findByTestId("open-settings"));
  const section = await screen.findByTestId("overlay-settings");
  return { ipc, section };
}

const field = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe("the chat overlay's settings", () => {
  it("say where the overlay is served, with the address masked and how to add it to OBS", async () => {
    const { section } = await overlaySettings();
    expect(screen.getByTestId("overlay-state").textContent).toBe("Serving the overlay on port 47651.");
    expect(screen.getByTestId("overlay-masked-address").textContent).toBe(
      "http://127.0.0.1:47651/overlay/••••••••/chat",
    );
    expect(section.textContent).not.toContain("SECRET");
    expect(section.textContent).toContain(
      "In OBS: Sources → + → Browser, paste the address, width 400, height 600.",
    );
    expect(field("overlay-hold").value).toBe("0");
    expect((screen.getByTestId("overlay-hidden-users") as HTMLTextAreaElement).value).toBe(
      "Nightbot\nStreamElements",
    );
    expect(screen.queryByTestId("overlay-session-only")).toBeNull();
  });

  it("show why the overlay is not served, that the address lasts this session only, and follow changes", async () => {
    const { ipc } = await overlaySettings({
      ...OVERLAY_SERVING,
      servingOn: null,
      addressForThisSessionOnly: true,
      problem: {
        ...NETWORK_ERROR,
        code: "overlay_port_in_use",
        cause: "Port 47651 is in use by another program.",
        fix: "Choose another port and save.",
      },
    });
    const problem = screen.getByTestId("overlay-problem");
    expect(problem.textContent).toContain("Port 47651 is in use by another program.");
    expect(problem.textContent).toContain("Choose another port and save.");
    expect(screen.getByTestId("overlay-session-only").textContent).toContain("changes the next time");
    expect(screen.queryByTestId("overlay-copy")).toBeNull();
    act(() =>
      ipc.emitOverlay({
        ...OVERLAY_SERVING,
        settings: { ...OVERLAY_SERVING.settings, enabled: false },
        servingOn: null,
      }),
    );
    expect(screen.getByTestId("overlay-state").textContent).toBe("The overlay is off.");
  });

  it("keep everything typed when a save is refused, and show the cause and the fix", async () => {
    const { ipc } = await overlaySettings();
    ipc.state.overlaySaveAnswer = {
      ok: false,
      error: {
        ...NETWORK_ERROR,
        code: "overlay_settings_invalid",
        cause: "Text colour: a colour as #rrggbb, e.g. #ffffff for white",
        fix: "Correct it and save again.",
      },
    };
    fireEvent.change(field("overlay-hold"), { target: { value: "12" } });
    fireEvent.change(screen.getByTestId("overlay-hidden-users"), {
      target: { value: "Nightbot\n  BadBot  \n\nStreamElements" },
    });
    fireEvent.click(screen.getByTestId("overlay-theme-custom"));
    fireEvent.change(field("overlay-text-color"), { target: { value: "white" } });
    fireEvent.click(screen.getByTestId("overlay-save"));
    const error = await screen.findByTestId("overlay-error");
    expect(error.textContent).toContain("Text colour: a colour as #rrggbb");
    expect(error.textContent).toContain("Correct it and save again.");
    expect(field("overlay-hold").value).toBe("12");
    expect((screen.getByTestId("overlay-hidden-users") as HTMLTextAreaElement).value).toBe(
      "Nightbot\n  BadBot  \n\nStreamElements",
    );
    expect(field("overlay-text-color").value).toBe("white");
    expect(ipc.state.overlaySaves).toEqual([
      {
        ...OVERLAY_SERVING.settings,
        holdSeconds: 12,
        hiddenUsers: ["Nightbot", "BadBot", "StreamElements"],
        theme: "custom",
        textColor: "white",
      },
    ]);
  });

  it("save the whole settings, and say so", async () => {
    const { ipc } = await overlaySettings();
    fireEvent.click(screen.getByTestId("overlay-hide-commands"));
    fireEvent.change(field("overlay-port"), { target: { value: "48000" } });
    fireEvent.change(field("overlay-fade"), { target: { value: "30" } });
    fireEvent.change(field("overlay-max-lines"), { target: { value: "8" } });
    fireEvent.change(field("overlay-font-size"), { target: { value: "24" } });
    fireEvent.click(screen.getByTestId("overlay-theme-light"));
    fireEvent.click(screen.getByTestId("overlay-badges"));
    expect(screen.queryByTestId("overlay-text-color")).toBeNull();
    fireEvent.click(screen.getByTestId("overlay-save"));
    expect((await screen.findByTestId("overlay-saved")).textContent).toBe("Saved.");
    expect(ipc.state.overlaySaves).toEqual([
      {
        ...OVERLAY_SERVING.settings,
        hideCommands: false,
        port: 48000,
        fadeSeconds: 30,
        maxLines: 8,
        fontSize: 24,
        theme: "light",
        badges: false,
      },
    ]);
  });

  it("refuse at the field what cannot be saved, and leave a port never chosen to the studio", async () => {
    const unchosen = { ...OVERLAY_SERVING, settings: { ...OVERLAY_SERVING.settings, port: 0 } };
    const { ipc } = await overlaySettings(unchosen);
    const port = field("overlay-port");
    expect(port.value).toBe("");
    expect(port.placeholder).toBe("chosen by the studio");
    const save = screen.getByTestId("overlay-save") as HTMLButtonElement;
    for (const [testId, value] of [
      ["overlay-port", "80"],
      ["overlay-port", "0"],
      ["overlay-hold", "31"],
      ["overlay-max-lines", "0"],
      ["overlay-max-lines", "51"],
      ["overlay-fade", "soon"],
    ] as const) {
      fireEvent.change(field(testId), { target: { value } });
      expect(screen.getByTestId(`${testId}-problem`).textContent, `${testId} ${value}`).not.toBe("");
      expect(save.disabled, `${testId} ${value}`).toBe(true);
    }
    fireEvent.change(field("overlay-port"), { target: { value: "" } });
    fireEvent.change(field("overlay-hold"), { target: { value: "30" } });
    fireEvent.change(field("overlay-max-lines"), { target: { value: "50" } });
    fireEvent.change(field("overlay-fade"), { target: { value: "0" } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(ipc.state.overlaySaves).toHaveLength(1));
    expect(ipc.state.overlaySaves[0]).toMatchObject({
      port: 0,
      holdSeconds: 30,
      maxLines: 50,
      fadeSeconds: 0,
    });
    // Once the studio has chosen a port, the empty field shows it.
    act(() => ipc.emitOverlay({ ...unchosen, settings: { ...unchosen.settings, port: 47651 } }));
    expect(field("overlay-port").value).toBe("47651");
    expect(screen.queryByTestId("overlay-port-problem")).toBeNull();
  });
});

describe("the overlay's address", () => {
  it("is asked of Rust and copied, and said to be copied", async () => {
    const { ipc } = await overlaySettings();
    expect(ipc.state.overlayAddressAsks).toBe(0);
    writeText.mockResolvedValue(undefined);
    fireEvent.click(screen.getByTestId("overlay-copy"));
    await waitFor(() => expect(screen.getByTestId("overlay-copied").textContent).toBe("Copied"));
    expect(ipc.state.overlayAddressAsks).toBe(1);
    expect(writeText).toHaveBeenCalledWith(OVERLAY_ADDRESS);
    expect(screen.queryByTestId("overlay-address-field")).toBeNull();
  });

  it("is shown selected to copy by hand when the clipboard refuses", async () => {
    await overlaySettings();
    writeText.mockRejectedValue(new Error("not allowed"));
    fireEvent.click(screen.getByTestId("overlay-copy"));
    const byHand = (await screen.findByTestId("overlay-address-field")) as HTMLInputElement;
    expect(byHand.value).toBe(OVERLAY_ADDRESS);
    expect(byHand.readOnly).toBe(true);
    expect(document.activeElement).toBe(byHand);
    expect([byHand.selectionStart, byHand.selectionEnd]).toEqual([0, OVERLAY_ADDRESS.length]);
    expect(screen.getByTestId("overlay-copied").textContent).toContain("copy it by hand");
  });

  it("says why when Rust will not give it", async () => {
    const { ipc } = await overlaySettings();
    ipc.state.overlayAddress = {
      ok: false,
      error: { ...NETWORK_ERROR, cause: "The overlay is not served." },
    };
    fireEvent.click(screen.getByTestId("overlay-copy"));
    expect((await screen.findByTestId("overlay-address-error")).textContent).toContain(
      "The overlay is not served.",
    );
    expect(writeText).not.toHaveBeenCalled();
  });

  it("is renewed only once the streamer confirms, saying OBS needs the new one", async () => {
    const { ipc } = await overlaySettings();
    fireEvent.click(screen.getByTestId("overlay-rotate"));
    const dialog = screen.getByTestId("overlay-rotate-dialog");
    expect(dialog.textContent).toContain("OBS's browser source needs the new one");
    fireEvent.click(within(dialog).getByTestId("overlay-rotate-cancel"));
    expect(screen.queryByTestId("overlay-rotate-dialog")).toBeNull();
    expect(ipc.state.overlayRotations).toBe(0);
    fireEvent.click(screen.getByTestId("overlay-rotate"));
    fireEvent.click(screen.getByTestId("overlay-rotate-confirm"));
    // The fake counts the rotation before the component's await resumes: wait for the words.
    await waitFor(() =>
      expect(screen.getByTestId("overlay-copied").textContent).toContain("New address made"),
    );
    expect(ipc.state.overlayRotations).toBe(1);
  });

  it("previews the page in a frame, and hides it again", async () => {
    const { ipc } = await overlaySettings();
    const toggle = screen.getByTestId("overlay-preview");
    expect(toggle.textContent).toBe("Show preview");
    fireEvent.click(toggle);
    const frame = (await screen.findByTestId("overlay-preview-frame")) as HTMLIFrameElement;
    expect(frame.tagName).toBe("IFRAME");
    expect(frame.getAttribute("src")).toBe(`${OVERLAY_ADDRESS}?preview`);
    expect(frame.title).toBe("Preview of the chat overlay");
    expect(ipc.state.overlayAddressAsks).toBe(1);
    expect(toggle.textContent).toBe("Hide preview");
    fireEvent.click(toggle);
    expect(screen.queryByTestId("overlay-preview-frame")).toBeNull();
  });
});
