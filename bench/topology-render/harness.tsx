// The page bench/topology-render.mjs drives in Chromium: mounts the Topology tab's graph component
// with a graph it fetches, and reports how long it took from the data's arrival (the response
// text in hand) to the first complete render (ELK layout in the web worker, React Flow nodes on
// screen, painted). Bundled by esbuild; not part of the app.
import { createRoot, type Root } from 'react-dom/client';
import { UnifiedThemeProvider, themes } from '@backstage/theme';
import { TopologyGraphView } from '../../plugins/mesh/src/components/TopologyGraph/TopologyGraph';
import {
  inThreadEngine,
  workerEngine,
  type LayoutEngine,
} from '../../plugins/mesh/src/components/TopologyGraph/layout/engine';

let root: Root | undefined;
let engine: LayoutEngine | undefined;

declare global {
  interface Window {
    renderTopology(options: {
      url: string;
      collapseThreshold?: number;
      inThread?: boolean;
    }): Promise<Record<string, number>>;
  }
}

window.renderTopology = async ({ url, collapseThreshold, inThread }) => {
  const text = await (await fetch(url)).text();
  root?.unmount();
  const container = document.getElementById('root')!;
  root = createRoot(container);
  if (!engine || inThread)
    engine = inThread
      ? inThreadEngine()
      : workerEngine(() => new Worker('./worker.js'));
  const t0 = performance.now();
  const graph = JSON.parse(text);
  const parsedMs = performance.now() - t0;
  return new Promise(resolve => {
    root!.render(
      <UnifiedThemeProvider theme={themes.light}>
        <TopologyGraphView
          graph={graph}
          height={900}
          layoutEngine={engine}
          collapseThreshold={collapseThreshold ?? 150}
          onRendered={info =>
            resolve({
              totalMs: performance.now() - t0,
              parsedMs,
              layoutMs: info.layoutMs,
              shownNodes: info.nodes,
              shownEdges: info.edges,
              domNodes: container.querySelectorAll('.react-flow__node').length,
              domEdges: container.querySelectorAll('.react-flow__edge').length,
            })
          }
        />
      </UnifiedThemeProvider>,
    );
  });
};
