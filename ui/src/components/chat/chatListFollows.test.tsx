import { act, fireEvent, render, screen } from "@testing-library/react";
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

it("measures new rows in the commit that mounts them while it follows a scrolling list", () => {
  // Laid out, every row is 60 px; a row in a hidden panel would be 0 and is left to the observer.
  let laidOut = 60;
  const rect = Element.prototype.getBoundingClientRect;
  Element.prototype.getBoundingClientRect = function (this: Element) {
    if (!this.classList.contains("chat-slot")) return rect.call(this);
    return new DOMRect(0, 0, 360, laidOut);
  };
  try {
    const first = Array.from({ length: 5 }, (_, n) => said(n));
    const { rerender } = render(<ChatList items={first} added={5} taken={5} onReading={() => {}} />);
    const list = screen.getByTestId("chat-list");
    expect(list.scrollTop).toBe(5 * 60);

    // Following, the list scrolls with every answer, so new rows always mount while it scrolls:
    // they are measured in their commit all the same, so the answer is drawn in one frame.
    act(() => list.dispatchEvent(new Event("scroll")));
    const more = Array.from({ length: 8 }, (_, n) => said(n));
    rerender(<ChatList items={more} added={8} taken={8} onReading={() => {}} />);
    expect(list.scrollTop).toBe(8 * 60);

    laidOut = 0;
    const hidden = Array.from({ length: 9 }, (_, n) => said(n));
    rerender(<ChatList items={hidden} added={9} taken={9} onReading={() => {}} />);
    expect(list.scrollTop).toBe(8 * 60 + 52);

    // Reading, the streamer's own scrolling is not moved by rows measured under it: a new row is
    // left to the observer, as the virtualizer leaves it.
    laidOut = 60;
    fireEvent.mouseEnter(list);
    const reading = Array.from({ length: 10 }, (_, n) => said(n));
    rerender(<ChatList items={reading} added={10} taken={10} onReading={() => {}} />);
    const rows = list.querySelector(".chat-rows") as HTMLElement;
    expect(rows.style.height).toBe(`${8 * 60 + 2 * 52}px`);
  } finally {
    Element.prototype.getBoundingClientRect = rect;
  }
});

it("while following, leaves the scroll position to the list when a row above the view grows", () => {
  // As in WebKit: a scroll stops at the end (jsdom keeps any offset, which the virtualizer takes
  // for a touch screen's overscroll), and `scrollTo` scrolls (jsdom has none).
  const scrollTop = Object.getOwnPropertyDescriptor(Element.prototype, "scrollTop");
  Object.defineProperty(Element.prototype, "scrollTop", {
    configurable: true,
    get(this: Element) {
      return scrollTop?.get?.call(this);
    },
    set(this: Element, offset: number) {
      const end = this.scrollHeight - this.clientHeight;
      scrollTop?.set?.call(this, Math.max(0, Math.min(offset, end)));
    },
  });
  const writes: number[] = [];
  Element.prototype.scrollTo = function (this: Element, to?: ScrollToOptions | number) {
    if (typeof to === "object" && to.top !== undefined) {
      writes.push(to.top);
      this.scrollTop = to.top;
    }
  } as Element["scrollTo"];
  try {
    const items = Array.from({ length: 20 }, (_, n) => said(n));
    render(<ChatList items={items} added={20} taken={20} onReading={() => {}} />);
    const list = screen.getByTestId("chat-list");
    act(() => list.dispatchEvent(new Event("scroll")));
    const slots = list.querySelectorAll(".chat-slot");
    // The first row in the DOM is above the view (the virtualizer keeps a few around it).
    const above = slots[0] as Element;
    const observer = ReportingResizeObserver.made.find((o) => o.observed.has(above));
    if (!observer) throw new Error("no observer measures the rows");
    const entry = { target: above, borderBoxSize: [{ blockSize: 52 + 30, inlineSize: 360 }] };
    writes.length = 0;
    act(() =>
      observer.report([entry as unknown as ResizeObserverEntry], observer as unknown as ResizeObserver),
    );
    // The virtualizer wrote no position worked out from one it read before; the list went to
    // its new end itself.
    expect(writes).toEqual([]);
    expect(list.scrollTop).toBe(20 * 52 + 30 - 420);

    // Reading, the virtualizer's correction keeps the rows in view where they are.
    act(() => list.dispatchEvent(new Event("scroll")));
    fireEvent.mouseEnter(list);
    const grown = { target: above, borderBoxSize: [{ blockSize: 52 + 60, inlineSize: 360 }] };
    act(() =>
      observer.report([grown as unknown as ResizeObserverEntry], observer as unknown as ResizeObserver),
    );
    expect([...new Set(writes)]).toEqual([20 * 52 + 60 - 420]);
    expect(list.scrollTop).toBe(20 * 52 + 60 - 420);
  } finally {
    if (scrollTop) Object.defineProperty(Element.prototype, "scrollTop", scrollTop);
    Reflect.deleteProperty(Element.prototype, "scrollTo");
  }
});

it("lays its rows out again only when they change, not each time it renders", () => {
  // A busy chat's list holds a thousand rows and renders twice an answer (the rows changed, then
  // it scrolled to the new one): only the first may go over every row.
  const rows = Array.from({ length: 1_000 }, (_, n) => said(n));
  let read = 0;
  const counted = new Proxy(rows, {
    get(target, property, receiver) {
      if (typeof property === "string" && /^\d+$/.test(property)) read += 1;
      return Reflect.get(target, property, receiver);
    },
  });
  const { rerender } = render(<ChatList items={counted} added={1_000} taken={1_000} onReading={() => {}} />);
  expect(read).toBeGreaterThanOrEqual(rows.length);

  read = 0;
  rerender(<ChatList items={counted} added={1_000} taken={1_001} onReading={() => {}} />);
  // The rows it draws (those in view and a few around them), not the thousand.
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThan(100);
  expect(screen.getByTestId("chat-list").dataset.commentsTaken).toBe("1001");
});
