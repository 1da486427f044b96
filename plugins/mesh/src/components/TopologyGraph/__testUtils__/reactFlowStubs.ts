/**
 * What React Flow needs from a browser that jsdom lacks (React Flow's "Testing" guide): a
 * ResizeObserver, DOMMatrixReadOnly for the viewport transform, and element sizes. Nodes carry
 * their width, height and handles from the layout, so nothing else has to be measured.
 * Call once per test file, at the top.
 */
export function stubReactFlowBrowser() {
  class ResizeObserverStub {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback(
        [{ target } as ResizeObserverEntry],
        this as unknown as ResizeObserver,
      );
    }
    unobserve() {}
    disconnect() {}
  }
  class DOMMatrixReadOnlyStub {
    m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
      this.m22 = scale !== undefined ? Number(scale) : 1;
    }
  }
  beforeAll(() => {
    (globalThis as any).ResizeObserver = ResizeObserverStub;
    (globalThis as any).DOMMatrixReadOnly = DOMMatrixReadOnlyStub;
    // Every element is big, so the whole test graph is "on screen" (React Flow renders only
    // what is, and jsdom cannot zoom to fit).
    Object.defineProperties(HTMLElement.prototype, {
      offsetHeight: { configurable: true, get: () => 3000 },
      offsetWidth: { configurable: true, get: () => 4000 },
    });
    (SVGElement.prototype as any).getBBox = () => ({
      x: 0,
      y: 0,
      width: 0,
      height: 0,
    });
  });
}
