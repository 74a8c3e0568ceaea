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

/** Ctrl+Shift+`letter`, by the key's place (`code`) or, where a layout moves it, by its letter. */
const ctrlShift = (letter: string) => (event: KeyboardEvent) =>
  event.ctrlKey &&
  event.shiftKey &&
  !event.altKey &&
  !event.metaKey &&
  (event.code === `Key${letter.toUpperCase()}` || event.key.toLowerCase() === letter);

/** The in-window shortcuts, in the order the help overlay lists them. */
export const SHORTCUTS: Shortcut[] = [
  { action: "goLive", keys: "Ctrl+Shift+L", label: "shortcuts.goLive", matches: ctrlShift("l") },
  { action: "stop", keys: "Ctrl+Shift+E", label: "shortcuts.stop", matches: ctrlShift("e") },
  { action: "focusChat", keys: "Ctrl+Shift+M", label: "shortcuts.focusChat", matches: ctrlShift("m") },
  {
    action: "toggleCompact",
    keys: "Ctrl+Shift+D",
    label: "shortcuts.toggleCompact",
    matches: ctrlShift("d"),
  },
  { action: "help", keys: "F1", label: "shortcuts.help", matches: (event) => event.key === "F1" },
];

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
