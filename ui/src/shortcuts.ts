// In-window keyboard shortcuts, and one way for anything (a key, a global shortcut or the tray
// through Rust) to ask for a studio action: components that can carry an action out subscribe to
// it with `useAction`, so no key handler needs to know which component is on screen.
import { useEffect, useLayoutEffect, useRef } from "react";
import type { MessageKey } from "./i18n";

export type Action = "goLive" | "stop" | "focusChat" | "toggleCompact" | "help";

export interface Shortcut {
  action: Action;
  /** As shown in the help overlay. */
  keys: string;
  label: MessageKey;
  matches: (event: KeyboardEvent) => boolean;
}

/**
 * How the keyboard is worn: on a Mac the in-window shortcuts take ⌘ where elsewhere they take
 * Ctrl (Ctrl with a letter is the Mac's text editing: Ctrl+E goes to the end of the line).
 */
export type KeyStyle = "mac" | "pc";

/** The key style of the computer the window runs on. */
export function keyStyle(platform: string = globalThis.navigator?.platform ?? ""): KeyStyle {
  return /^Mac|^iP(hone|ad)/.test(platform) ? "mac" : "pc";
}

/** ⌘⇧`letter` on a Mac, Ctrl+Shift+`letter` elsewhere: by the key's place (`code`) or, where a
 * layout moves it, by its letter. */
const primaryShift = (style: KeyStyle, letter: string) => (event: KeyboardEvent) =>
  (style === "mac" ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey) &&
  event.shiftKey &&
  !event.altKey &&
  (event.code === `Key${letter.toUpperCase()}` || event.key.toLowerCase() === letter);

/** A chord as the help overlay shows it, in the platform's own way of writing keys. */
export function chord(style: KeyStyle, key: string, shift = true, primary = true): string {
  if (style === "mac") return `${primary ? "⌘" : ""}${shift ? "⇧" : ""}${key === "Enter" ? "↩" : key}`;
  return [primary ? "Ctrl" : null, shift ? "Shift" : null, key].filter(Boolean).join("+");
}

const MAC_MODIFIERS: Record<string, string> = { Ctrl: "⌃", Alt: "⌥", Shift: "⇧", Cmd: "⌘", Super: "⌘" };

/**
 * Keys written as `Ctrl+Shift+F9` (as the desktop's global shortcuts are named) in the platform's
 * own way: `⌃⇧F9` on a Mac, where Ctrl is Control, not ⌘.
 */
export function keysIn(style: KeyStyle, keys: string): string {
  if (style !== "mac") return keys;
  return keys
    .split("+")
    .map((part) => MAC_MODIFIERS[part] ?? part)
    .join("");
}

/** The in-window shortcuts for `style`, in the order the help overlay lists them. */
export function shortcutsFor(style: KeyStyle): Shortcut[] {
  const letter = (action: Action, key: string, label: MessageKey): Shortcut => ({
    action,
    keys: chord(style, key.toUpperCase()),
    label,
    matches: primaryShift(style, key),
  });
  return [
    letter("goLive", "l", "shortcuts.goLive"),
    letter("stop", "e", "shortcuts.stop"),
    letter("focusChat", "m", "shortcuts.focusChat"),
    letter("toggleCompact", "d", "shortcuts.toggleCompact"),
    { action: "help", keys: "F1", label: "shortcuts.help", matches: (event) => event.key === "F1" },
  ];
}

/** The in-window shortcuts on this computer. */
export const SHORTCUTS: Shortcut[] = shortcutsFor(keyStyle());

const bus = new EventTarget();

/** Asks for `action`; whoever can carry it out does. */
export function requestAction(action: Action): void {
  bus.dispatchEvent(new Event(action));
}

/**
 * Runs `handler` when `action` is asked for, while the component is on screen. It subscribes in a
 * layout effect, at the commit that puts the component on screen: a passive effect runs a task
 * later, and a shortcut pressed (or sent from the tray) in between would be dropped.
 */
export function useAction(action: Action, handler: () => void): void {
  const latest = useRef(handler);
  // Updated at commit, not during render: a render React throws away must not leave its handler.
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useLayoutEffect(() => {
    const run = () => latest.current();
    bus.addEventListener(action, run);
    return () => bus.removeEventListener(action, run);
  }, [action]);
}

/** Turns the window's key presses into actions. */
export function useShortcutKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = SHORTCUTS.find((s) => s.matches(event));
      if (!shortcut) return;
      event.preventDefault();
      requestAction(shortcut.action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
