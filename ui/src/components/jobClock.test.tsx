import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../i18n";
import type { Job, Viewers } from "../ipc";
import { jobFixture } from "../test/fakeIpc";
import { JobPanel } from "./JobPanel";

const START = 1_000_000_000;

function panel(job: Job, viewers: Viewers | null = null, clockOffsetMs = 0) {
  return (
    <I18nProvider language="en">
      <JobPanel
        job={job}
        names={{}}
        clockOffsetMs={clockOffsetMs}
        viewers={viewers}
        superseded={null}
        busy={false}
        onStop={() => {}}
        onRetry={() => {}}
      />
    </I18nProvider>
  );
}

function advance(ms: number) {
  act(() => {
    vi.advanceTimersByTime(ms);
  });
}

/** Every text the node held, one entry per change, so a redraw that changes nothing shows too. */
function recordChanges(node: Node): string[] {
  const seen: string[] = [];
  new MutationObserver(() => seen.push(node.textContent ?? "")).observe(node, {
    subtree: true,
    characterData: true,
    childList: true,
  });
  return seen;
}

describe("the live clock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START + 20_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("says how long in whole minutes and changes on the minute it turns over", () => {
    render(panel(jobFixture({ startedAt: START })));
    const clock = screen.getByTestId("elapsed");
    expect(clock.textContent).toBe("Live for under a minute");
    advance(39_999);
    expect(clock.textContent, "not yet a minute on the service's clock").toBe("Live for under a minute");
    advance(1);
    expect(clock.textContent).toBe("Live for 1 min");
    advance(59 * 60_000);
    expect(clock.textContent).toBe("Live for 1 h 0 min");
    advance(23 * 60_000 + 59_999);
    expect(clock.textContent).toBe("Live for 1 h 23 min");
  });

  it("wakes once a minute, on the minute, and redraws only then", async () => {
    render(panel(jobFixture({ startedAt: START })));
    const clock = screen.getByTestId("elapsed");
    const changes = recordChanges(clock);
    const timers = vi.spyOn(globalThis, "setTimeout");
    for (let second = 0; second < 180; second += 1) {
      advance(1000);
      await Promise.resolve();
    }
    expect(changes, "one redraw a minute, none between").toEqual([
      "Live for 1 min",
      "Live for 2 min",
      "Live for 3 min",
    ]);
    expect(timers.mock.calls.length, "one wake-up a minute").toBe(3);
    timers.mockRestore();
  });

  it("counts on the service's clock when this machine's differs", () => {
    // The service is 45 s ahead: 20 s here since the start is 65 s there.
    render(panel(jobFixture({ startedAt: START }), null, 45_000));
    expect(screen.getByTestId("elapsed").textContent).toBe("Live for 1 min");
    advance(54_999);
    expect(screen.getByTestId("elapsed").textContent).toBe("Live for 1 min");
    advance(1);
    expect(screen.getByTestId("elapsed").textContent).toBe("Live for 2 min");
  });

  it("keeps no timer when the stream is not live", () => {
    render(panel(jobFixture({ startedAt: START, status: "stopped" })));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the viewer counts' age", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const counts = (updatedAt: number): Viewers => ({ total: 7, platforms: { twitch: 7 }, updatedAt });

  it("says nothing and sets one timer while the counts are fresh, then says how old they are", () => {
    const job = jobFixture({ startedAt: null });
    const { rerender } = render(panel(job, counts(START)));
    expect(screen.queryByTestId("viewers-stale")).toBeNull();
    expect(vi.getTimerCount(), "one timer: the moment the counts go stale").toBe(1);
    advance(10_000);
    // A fresh count moves the moment on.
    rerender(panel(job, counts(START + 10_000)));
    advance(29_999);
    expect(screen.queryByTestId("viewers-stale")).toBeNull();
    advance(1);
    expect(screen.getByTestId("viewers-stale").textContent).toContain("last updated 30 s ago");
    advance(5_000);
    expect(screen.getByTestId("viewers-stale").textContent).toContain("last updated 35 s ago");
    advance(120_000);
    expect(screen.getByTestId("viewers-stale").textContent).toContain("last updated 3 min ago");
    rerender(panel(job, counts(Date.now())));
    expect(screen.queryByTestId("viewers-stale")).toBeNull();
  });
});
