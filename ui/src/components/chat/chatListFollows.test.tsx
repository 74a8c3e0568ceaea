import { act, render, screen } from "@testing-library/react";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChatItem } from "../../chat/chatLog";
import { ChatList } from "./ChatList";

/**
 * jsdom has no ResizeObserver and lays nothing out. This observer hands the test what the list
 * observes, so the test can report a row's new height as WebKit would after a layout; the list's
 * scroll height is the height the virtualizer gives its rows.
 */
class ReportingResizeObserver {
  static made: ReportingResizeObserver[] = [];
  readonly observed = new Set<Element>();
  constructor(readonly report: ResizeObserverCallback) {
    ReportingResizeObserver.made.push(this);
  }
  observe(element: Element) {
    this.observed.add(element);
  }
  unobserve(element: Element) {
    this.observed.delete(element);
  }
  disconnect() {
    this.observed.clear();
  }
}

const scrollHeight = Object.getOwnPropertyDescriptor(Element.prototype, "scrollHeight");
beforeAll(() => {
  window.ResizeObserver = ReportingResizeObserver as unknown as typeof ResizeObserver;
  Object.defineProperty(Element.prototype, "scrollHeight", {
    configurable: true,
    get(this: Element) {
      const rows = this.querySelector(":scope > .chat-rows");
      return rows instanceof HTMLElement ? Number.parseFloat(rows.style.height) || 0 : 0;
    },
  });
});
afterAll(() => {
  Reflect.deleteProperty(window, "ResizeObserver");
  if (scrollHeight) Object.defineProperty(Element.prototype, "scrollHeight", scrollHeight);
});

const said = (n: number): ChatItem => ({
  kind: "comment",
  key: `c${n}`,
  comment: {
    id: `c${n}`,
    platform: "twitch",
    author: `viewer ${n}`,
    authorId: null,
    authorAvatar: null,
    message: `message ${n}`,
    timestamp: 1_700_000_000_000 + n,
    own: false,
  },
});

it("keeps following when the newest row turns out taller, with no render of the list", () => {
  const items = Array.from({ length: 20 }, (_, n) => said(n));
  render(<ChatList items={items} added={20} taken={20} onReading={() => {}} />);
  const list = screen.getByTestId("chat-list");
  // Twenty rows of the estimated 52 px, scrolled to the end.
  expect(list.scrollTop).toBe(20 * 52);

  const slots = list.querySelectorAll(".chat-slot");
  const newest = slots[slots.length - 1] as Element;
  const observer = ReportingResizeObserver.made.find((o) => o.observed.has(newest));
  if (!observer) throw new Error("no observer measures the rows");
  const measured = (px: number) => {
    const entry = { target: newest, borderBoxSize: [{ blockSize: px, inlineSize: 360 }] };
    act(() =>
      observer.report([entry as unknown as ResizeObserverEntry], observer as unknown as ResizeObserver),
    );
  };
  // Laid out, the newest row is 60 px; then it grows to two lines (an avatar came, a font
  // loaded): the rows in view stay the same, so the list is not rendered again for it.
  measured(60);
  expect(list.scrollTop).toBe(19 * 52 + 60);
  measured(80);
  expect(list.scrollTop).toBe(19 * 52 + 80);
});
