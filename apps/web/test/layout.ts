// happy-dom lays nothing out, so every box is 0 x 0 and the virtual message list would show no rows;
// this gives every box a size for the tests of the file that calls it, so the history renders what a
// browser would, and puts the real measurements back afterwards.
import { afterAll, beforeAll } from "vitest";

export function withLaidOutBoxes(width = 480, height = 640): void {
  const realRect = HTMLElement.prototype.getBoundingClientRect;
  const sizes = ["offsetWidth", "offsetHeight", "clientWidth", "clientHeight"] as const;
  const realSizes = sizes.map(
    (name) =>
      Object.getOwnPropertyDescriptor(HTMLElement.prototype, name) ??
      Object.getOwnPropertyDescriptor(Element.prototype, name),
  );
  beforeAll(() => {
    HTMLElement.prototype.getBoundingClientRect = () => DOMRect.fromRect({ x: 0, y: 0, width, height });
    for (const name of sizes)
      Object.defineProperty(HTMLElement.prototype, name, {
        configurable: true,
        get: () => (name.endsWith("Width") ? width : height),
      });
  });
  afterAll(() => {
    HTMLElement.prototype.getBoundingClientRect = realRect;
    sizes.forEach((name, index) => {
      const descriptor = realSizes[index];
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    });
  });
}
