import { waitFor } from "@testing-library/react";
import { createRoot } from "react-dom/client";
import { afterEach, beforeEach, expect, it } from "vitest";
import { requestAction, useAction } from "./shortcuts";

// React runs these renders as the app does (not inside `act`), so effects run on React's own
// schedule: a passive effect would run a task after the commit, a layout effect runs in it.
const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
let previous: boolean | undefined;
beforeEach(() => {
  previous = actEnvironment.IS_REACT_ACT_ENVIRONMENT;
  actEnvironment.IS_REACT_ACT_ENVIRONMENT = false;
});
afterEach(() => {
  actEnvironment.IS_REACT_ACT_ENVIRONMENT = previous;
});

function Listener({ label = "ready", onGoLive }: { label?: string; onGoLive: () => void }) {
  useAction("goLive", onGoLive);
  return <p data-testid="listener">{label}</p>;
}

it("hears an action asked for as soon as the component is on screen", async () => {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  let heard = 0;
  // Asked for from the first moment the component's markup is in the document, as a shortcut
  // pressed right after the panel appears would be.
  const askedAtCommit = new Promise<void>((resolve) => {
    const observer = new MutationObserver(() => {
      if (!host.querySelector("[data-testid=listener]")) return;
      observer.disconnect();
      requestAction("goLive");
      resolve();
    });
    observer.observe(host, { childList: true, subtree: true });
  });
  root.render(<Listener onGoLive={() => heard++} />);
  await askedAtCommit;
  expect(heard).toBe(1);
  root.unmount();
  host.remove();
});

it("runs the handler of the latest render, and stops hearing once off screen", async () => {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  const heard: string[] = [];
  const show = (label: string) => root.render(<Listener label={label} onGoLive={() => heard.push(label)} />);
  show("first");
  await waitFor(() => expect(host.textContent).toBe("first"));
  requestAction("goLive");
  show("second");
  await waitFor(() => expect(host.textContent).toBe("second"));
  requestAction("goLive");
  root.unmount();
  requestAction("goLive");
  expect(heard).toEqual(["first", "second"]);
  host.remove();
});
