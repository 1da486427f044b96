// The page bench/topology-render.mjs drives in Chromium: a stand-in for the Topology tab. `openTab`
// mounts it as EntityTopologyContent mounts (the layout engine warmed up through the same hook,
// while the data is "on its way"); `deliver` fetches the graph's JSON (the API response) and,
// with the response text in hand (t0), parses it and hands it to TopologyGraphView; it resolves
// once the graph is laid out (ELK in the web worker), on screen and painted. Bundled by esbuild;
// not part of the app.
import { useEffect, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { UnifiedThemeProvider, themes } from '@backstage/theme';
import type { TopologyGraph } from '@meshstage/plugin-mesh-common';
import {
  TopologyGraphView,
  useTopologyLayoutWarmUp,
} from '../../plugins/mesh/src/components/TopologyGraph/TopologyGraph';
import {
  workerEngine,
  type LayoutEngine,
} from '../../plugins/mesh/src/components/TopologyGraph/layout/engine';

interface Delivery {
  graph: TopologyGraph;
  t0: number;
  parsedMs: number;
  resolve(r: Record<string, number>): void;
}

let root: Root | undefined;
let engine: LayoutEngine | undefined;
let hand: ((d: Delivery) => void) | undefined;
let mountedAt = 0;

declare global {
  interface Window {
    openTab(options: {
      warmUp: boolean;
      /** Resolve only once the warm-up is done (default true). */
      wait?: boolean;
    }): Promise<{ warmUpMs?: number }>;
    deliver(options: {
      url: string;
      collapseThreshold?: number;
      focusNode?: string;
    }): Promise<Record<string, number>>;
  }
}

function Tab(props: { warmUp: boolean }) {
  useTopologyLayoutWarmUp({ engine, enabled: props.warmUp });
  const [d, setD] = useState<Delivery>();
  useEffect(() => {
    hand = setD;
    return () => {
      hand = undefined;
    };
  }, []);
  if (!d) return <div>Loading…</div>;
  const container = document.getElementById('root')!;
  return (
    <TopologyGraphView
      graph={d.graph}
      height={900}
      layoutEngine={engine}
      collapseThreshold={(window as any).collapseThreshold ?? 150}
      onRendered={info =>
        d.resolve({
          totalMs: performance.now() - d.t0,
          parsedMs: d.parsedMs,
          layoutMs: info.layoutMs,
          shownNodes: info.nodes,
          shownEdges: info.edges,
          domNodes: container.querySelectorAll('.react-flow__node').length,
          domEdges: container.querySelectorAll('.react-flow__edge').length,
          sinceMountMs: performance.now() - mountedAt,
        })
      }
    />
  );
}

window.openTab = async ({ warmUp, wait = true }) => {
  root?.unmount();
  root = createRoot(document.getElementById('root')!);
  // One engine (one worker) per page: a fresh page starts cold, later tabs find it warm.
  engine ??= workerEngine(() => new Worker('./worker.js'));
  mountedAt = performance.now();
  root.render(
    <UnifiedThemeProvider theme={themes.light}>
      <Tab warmUp={warmUp} />
    </UnifiedThemeProvider>,
  );
  while (!hand) await new Promise(r => setTimeout(r, 1));
  if (!warmUp || !wait) return {};
  await engine.warmUp!();
  return { warmUpMs: performance.now() - mountedAt };
};

window.deliver = async ({ url, collapseThreshold, focusNode }) => {
  const text = await (await fetch(url)).text();
  const t0 = performance.now(); // the data has arrived
  const graph = JSON.parse(text) as TopologyGraph;
  if (focusNode) {
    for (const n of graph.nodes) if (n.id === focusNode) n.focus = true;
  }
  const parsedMs = performance.now() - t0;
  (window as any).collapseThreshold = collapseThreshold;
  return new Promise(resolve => hand!({ graph, t0, parsedMs, resolve }));
};
