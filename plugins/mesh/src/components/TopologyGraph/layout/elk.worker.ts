// The topology layout worker: ELK off the page's main thread. Loaded by engine.ts.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutRequest, LayoutResponse } from './engine';

const elk = new ELK();
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
};

// elk.bundled.js claims `self.onmessage` when it loads inside a worker; this replaces it.
scope.onmessage = e => {
  const { id, graph } = e.data;
  elk.layout(graph).then(
    laid => scope.postMessage({ id, graph: laid }),
    err => scope.postMessage({ id, error: String(err?.message ?? err) }),
  );
};
