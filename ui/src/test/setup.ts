import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// jsdom lays nothing out: give the virtualized chat list a compact window's size and each of its
// rows a height, so it renders the rows in view as WebKit would.
const LAYOUT: Array<
  [className: string, property: "clientHeight" | "clientWidth" | "offsetHeight", px: number]
> = [
  ["chat-list", "clientHeight", 420],
  ["chat-list", "clientWidth", 360],
  ["chat-slot", "offsetHeight", 52],
];
for (const property of ["clientHeight", "clientWidth", "offsetHeight"] as const) {
  const inherited =
    Object.getOwnPropertyDescriptor(HTMLElement.prototype, property) ??
    Object.getOwnPropertyDescriptor(Element.prototype, property);
  Object.defineProperty(HTMLElement.prototype, property, {
    configurable: true,
    get(this: HTMLElement) {
      const size = LAYOUT.find(([name, p]) => p === property && this.classList.contains(name));
      return size ? size[2] : (inherited?.get?.call(this) ?? 0);
    },
  });
}
