import { describe, expect, it } from "vitest";
import { type ImmediateHost, installImmediate } from "./immediate";

/** A message event from `source`, which stops reaching listeners once one stops it. */
function message(data: unknown, source: unknown) {
  const event = new MessageEvent("message", { data });
  let stopped = false;
  Object.defineProperty(event, "source", { value: source });
  event.stopImmediatePropagation = () => {
    stopped = true;
  };
  return { event, stopped: () => stopped };
}

/**
 * A window as the browser is one here: what it posts to itself comes back later, as a message
 * whose source is the window (jsdom's own `postMessage` sets no source), to its listeners in
 * order. Another listener, added after the installed one, records what reaches it.
 */
function installed() {
  const listeners: ((event: MessageEvent) => void)[] = [];
  const posted: unknown[] = [];
  const reached: unknown[] = [];
  const host: ImmediateHost = {
    postMessage: (data) => posted.push(data),
    addEventListener: (_type, listener) => listeners.push(listener),
  };
  const deliver = (sent: ReturnType<typeof message>) => {
    for (const listener of listeners) {
      if (sent.stopped()) break;
      listener(sent.event);
    }
  };
  installImmediate(host);
  listeners.push((event) => reached.push(event.data));
  const { setImmediate } = host;
  if (!setImmediate) throw new Error("no setImmediate installed");
  /** Delivers the oldest message the window posted to itself. */
  const next = () => deliver(message(posted.shift(), host));
  return { host, setImmediate, posted, reached, deliver, next };
}

describe("installImmediate", () => {
  it("runs each task later, in order, one for each of the window's own messages", () => {
    const { setImmediate, posted, reached, next } = installed();
    const ran: string[] = [];
    setImmediate(() => ran.push("first"));
    setImmediate(() => ran.push("second"));
    expect(ran, "nothing runs before its message comes").toEqual([]);
    expect(posted).toHaveLength(2);
    next();
    expect(ran).toEqual(["first"]);
    next();
    expect(ran).toEqual(["first", "second"]);
    expect(reached, "its own messages go no further").toEqual([]);
  });

  it("runs nothing for the same message from another window, or another message of its own", () => {
    const { host, setImmediate, posted, reached, deliver, next } = installed();
    const ran: string[] = [];
    setImmediate(() => ran.push("task"));
    const task = posted[0];
    deliver(message(task, { frame: true }));
    deliver(message("something else", host));
    expect(ran).toEqual([]);
    expect(reached, "others' messages reach their listeners").toEqual([task, "something else"]);
    next();
    expect(ran).toEqual(["task"]);
  });

  it("keeps a setImmediate the host already has", () => {
    const own = () => {};
    const host: ImmediateHost = { setImmediate: own, postMessage: () => {}, addEventListener: () => {} };
    installImmediate(host);
    expect(host.setImmediate).toBe(own);
  });
});
