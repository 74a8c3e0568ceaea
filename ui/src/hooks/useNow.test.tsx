import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setVisibility } from "../test/visibility";
import { useNow } from "./useNow";

describe("useNow", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    setVisibility("visible");
  });
  afterEach(() => {
    vi.useRealTimers();
    setVisibility("visible");
  });

  it("reads the time every period while running and on screen", () => {
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useNow(1000, true);
    });
    const first = result.current;
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(result.current).toBe(first + 3000);
    const before = renders;
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(renders).toBe(before + 1);
  });

  it("draws nothing while the window is hidden or minimized, and catches up when it shows", () => {
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useNow(1000, true);
    });
    setVisibility("hidden");
    const hiddenAt = renders;
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(renders, "no redraw while nobody sees the clock").toBe(hiddenAt);
    expect(vi.getTimerCount(), "no timer left running while hidden").toBe(0);
    setVisibility("visible");
    expect(result.current, "the time is read again at once").toBe(Date.now());
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(result.current).toBe(Date.now());
  });

  it("keeps no timer while it is not running", () => {
    const { result, rerender } = renderHook(({ running }) => useNow(1000, running), {
      initialProps: { running: false },
    });
    expect(vi.getTimerCount()).toBe(0);
    const still = result.current;
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(result.current).toBe(still);
    rerender({ running: true });
    expect(result.current).toBe(Date.now());
    expect(vi.getTimerCount()).toBe(1);
  });
});
