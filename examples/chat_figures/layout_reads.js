// Experiment: how much of the page's time goes to layouts its script forces (a read of a size or
// a scroll position after a change), timed in the page, with how many there were.
const stat = { rects: 0, rectMs: 0, reads: 0, readMs: 0, since: performance.now() };
window.__soak = stat;
const rect = Element.prototype.getBoundingClientRect;
Element.prototype.getBoundingClientRect = function () {
  const t = performance.now();
  const r = rect.call(this);
  stat.rectMs += performance.now() - t;
  stat.rects += 1;
  return r;
};
for (const [proto, name] of [
  [Element.prototype, "scrollHeight"],
  [Element.prototype, "clientHeight"],
  [Element.prototype, "scrollTop"],
  [HTMLElement.prototype, "offsetHeight"],
  [HTMLElement.prototype, "offsetWidth"],
]) {
  const d = Object.getOwnPropertyDescriptor(proto, name);
  Object.defineProperty(proto, name, {
    ...d,
    get() {
      const t = performance.now();
      const v = d.get.call(this);
      stat.readMs += performance.now() - t;
      stat.reads += 1;
      return v;
    },
  });
}
return true;
