import { describe, expect, it } from "vitest";
import type { ChatItem } from "../../chat/chatLog";
import { forgetGoneRows } from "./ChatList";

const row = (n: number): ChatItem => ({ kind: "backfill", key: `k${n}`, count: 1 });

describe("the chat list's measured heights", () => {
  it("keep only rows still shown, once they are twice what is shown", () => {
    const measured = new Map<string, number>();
    let items: ChatItem[] = [];
    // Hours of chat through a list that keeps 1,000 rows: a height is measured for each.
    for (let n = 0; n < 50_000; n += 1) {
      measured.set(`k${n}`, 40 + (n % 7));
      if (n % 100 === 99) {
        items = Array.from({ length: Math.min(n + 1, 1_000) }, (_, i) => row(n - i));
        forgetGoneRows(measured, items);
        expect(measured.size).toBeLessThanOrEqual(2 * items.length + 100);
      }
    }
    expect(measured.size).toBeLessThanOrEqual(2 * 1_000);
    expect(measured.get("k49999")).toBe(40 + (49_999 % 7));
    expect(measured.has("k0")).toBe(false);
  });

  it("leave a small cache alone", () => {
    const measured = new Map<string, number>([
      ["gone", 52],
      ["k1", 40],
    ]);
    forgetGoneRows(measured, [row(1)]);
    expect(measured.size).toBe(2);
    measured.set("also gone", 60);
    forgetGoneRows(measured, [row(1)]);
    expect([...measured.keys()]).toEqual(["k1"]);
  });
});
