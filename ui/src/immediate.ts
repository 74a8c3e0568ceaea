/**
 * A `setImmediate` on the window's own message queue, for React's scheduler.
 *
 * The scheduler runs its work in tasks of its own: through `setImmediate` where there is one,
 * else through a `MessageChannel`. WebKit registers every `MessageChannel` in its network process
 * and carries each message there and back (posted, announced, taken, handed over): four IPC
 * messages and as many wakeups of two processes for every task, about 40 tasks a second at 50
 * comments/s, most of the network process's work while the chat is busy (docs/benchmarks.md,
 * "Fewer messages between WebKit's processes"). A message a window posts to itself stays in its
 * own process. React reads `setImmediate` once, as it loads: main.tsx imports this first.
 */

/** What this window's own messages carry; anything else is another's message, let through. */
const TASK = "restream-studio:immediate";

type Immediate = (run: () => void) => void;

/** The window's parts this needs (a test hands in its own). */
export interface ImmediateHost {
  setImmediate?: Immediate;
  postMessage(message: unknown, targetOrigin: string): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

/** Gives `host` a `setImmediate`, unless it has one (Node's, in tests). */
export function installImmediate(host: ImmediateHost): void {
  if (typeof host.setImmediate === "function") return;
  const queue: (() => void)[] = [];
  host.addEventListener("message", (event) => {
    // A frame or another window can post this string too; only the window's own count.
    if (event.source !== host || event.data !== TASK) return;
    event.stopImmediatePropagation();
    queue.shift()?.();
  });
  host.setImmediate = (run) => {
    queue.push(run);
    host.postMessage(TASK, "*");
  };
}

installImmediate(window as unknown as ImmediateHost);
