import { describe, expect, it } from "vitest";
import { chord, keyStyle, keysIn, shortcutsFor } from "./shortcuts";

/** A key press as the webview reports it. */
function press(code: string, mods: Partial<KeyboardEventInit> = {}): KeyboardEvent {
  return new KeyboardEvent("keydown", { code, key: code.replace("Key", "").toLowerCase(), ...mods });
}

const actionOf = (style: "mac" | "pc", event: KeyboardEvent) =>
  shortcutsFor(style).find((s) => s.matches(event))?.action ?? null;

describe("the keys of the in-window shortcuts", () => {
  it("knows a Mac by the platform the webview reports", () => {
    expect(keyStyle("MacIntel")).toBe("mac");
    expect(keyStyle("iPad")).toBe("mac");
    expect(keyStyle("Win32")).toBe("pc");
    expect(keyStyle("Linux x86_64")).toBe("pc");
    expect(keyStyle("")).toBe("pc");
  });

  it("takes ⌘⇧ on a Mac and leaves Ctrl to the Mac's text editing", () => {
    expect(actionOf("mac", press("KeyL", { metaKey: true, shiftKey: true }))).toBe("goLive");
    expect(actionOf("mac", press("KeyE", { metaKey: true, shiftKey: true }))).toBe("stop");
    expect(actionOf("mac", press("KeyL", { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(actionOf("mac", press("KeyL", { metaKey: true, ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(actionOf("mac", press("KeyL", { metaKey: true }))).toBeNull();
  });

  it("takes Ctrl+Shift elsewhere, and not the Windows key", () => {
    expect(actionOf("pc", press("KeyM", { ctrlKey: true, shiftKey: true }))).toBe("focusChat");
    expect(actionOf("pc", press("KeyD", { ctrlKey: true, shiftKey: true }))).toBe("toggleCompact");
    expect(actionOf("pc", press("KeyM", { metaKey: true, shiftKey: true }))).toBeNull();
    expect(actionOf("pc", press("KeyM", { ctrlKey: true, shiftKey: true, altKey: true }))).toBeNull();
  });

  it("shows each platform's way of writing the keys", () => {
    expect(shortcutsFor("mac").map((s) => s.keys)).toEqual(["⌘⇧L", "⌘⇧E", "⌘⇧M", "⌘⇧D", "F1"]);
    expect(shortcutsFor("pc").map((s) => s.keys)).toEqual([
      "Ctrl+Shift+L",
      "Ctrl+Shift+E",
      "Ctrl+Shift+M",
      "Ctrl+Shift+D",
      "F1",
    ]);
    expect(chord("mac", "Enter", true, false)).toBe("⇧↩");
    expect(chord("pc", "Enter", true, false)).toBe("Shift+Enter");
    expect(chord("pc", "Enter", false, false)).toBe("Enter");
  });

  it("answers F1 for help on both", () => {
    expect(actionOf("mac", new KeyboardEvent("keydown", { key: "F1" }))).toBe("help");
    expect(actionOf("pc", new KeyboardEvent("keydown", { key: "F1" }))).toBe("help");
  });
});

describe("the desktop-wide shortcuts' keys", () => {
  it("are written the Mac's way on a Mac, where Ctrl is Control (⌃), and as named elsewhere", () => {
    expect(keysIn("mac", "Ctrl+Shift+F9")).toBe("⌃⇧F9");
    expect(keysIn("mac", "Ctrl+Alt+Shift+Super+F10")).toBe("⌃⌥⇧⌘F10");
    expect(keysIn("pc", "Ctrl+Shift+F9")).toBe("Ctrl+Shift+F9");
  });
});
