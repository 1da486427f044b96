import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  getViewportForBounds,
  useReactFlow,
  useStore,
  useStoreApi,
  type Edge,
  type Node,
  type NodeMouseHandler,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type {
  TopologyGraph,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';
import {
  buildView,
  defaultCollapsed,
  effectiveCollapsed,
  groupNodes,
  searchNodes,
  type TopologyView,
} from './model';
import {
  fromElkGraph,
  toElkGraph,
  type TopologyLayout,
} from './layout/elkGraph';
import { packOverview } from './layout/packOverview';
import { defaultLayoutEngine, type LayoutEngine } from './layout/engine';
import {
  CollapsedGroupNodeView,
  GroupNodeView,
  TopologyNodeView,
} from './TopologyNodes';
import { TopologyEdgeView } from './TopologyEdge';
import { TopologyUiContext, type TopologyUi } from './context';
import { TopologyLegend } from './TopologyLegend';

const nodeTypes = {
  topology: TopologyNodeView,
  namespace: GroupNodeView,
  collapsed: CollapsedGroupNodeView,
};
const edgeTypes = { topology: TopologyEdgeView };

/** Above this many shown nodes, React Flow renders only those on screen. */
const VISIBLE_ONLY_ABOVE = 200;

/**
 * Edges without a route (drawn as curves: between namespaces in an overview, or beyond ELK's edge
 * budget) carry their label on the canvas only while there are at most this many; beyond, the
 * label is the edge's tooltip, so that a big overview is not a wall of labels (nor hundreds of
 * label elements to render).
 */
const CURVE_LABELS_MAX = 40;

/** Beyond this many nodes, namespaces start collapsed (see `defaultCollapsed`). */
export const DEFAULT_COLLAPSE_THRESHOLD = 150;

/** @public */
export interface TopologyGraphViewProps {
  graph: TopologyGraph;
  /** Height of the drawing area (default 640 px). */
  height?: number | string;
  /** Namespaces start collapsed beyond this many nodes. */
  collapseThreshold?: number;
  /** Where ELK runs; a web worker by default (this thread where there is no `Worker`). */
  layoutEngine?: LayoutEngine;
  /** The details of the node the user opened, beside the graph; none when left out. */
  renderDetails?: (node: TopologyNode, close: () => void) => ReactNode;
  /** Called once a layout is on screen (laid out and painted), with the time it took. */
  onRendered?: (info: {
    nodes: number;
    edges: number;
    layoutMs: number;
  }) => void;
}

interface Laid {
  view: TopologyView;
  layout: TopologyLayout;
  layoutMs: number;
}

function toFlow(laid: Laid): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  for (const p of laid.layout.nodes) {
    const v = p.view;
    const size = { width: p.width, height: p.height };
    const handles = [
      {
        type: 'target' as const,
        position: 'left' as any,
        x: 0,
        y: p.height / 2,
        width: 1,
        height: 1,
      },
      {
        type: 'source' as const,
        position: 'right' as any,
        x: p.width - 1,
        y: p.height / 2,
        width: 1,
        height: 1,
      },
    ];
    if (v.type === 'group') {
      nodes.push({
        id: v.id,
        type: 'namespace',
        position: { x: p.x, y: p.y },
        data: { group: v.group },
        ...size,
        style: size,
        selectable: false,
        focusable: false,
        zIndex: -1,
      });
    } else if (v.type === 'collapsed') {
      nodes.push({
        id: v.id,
        type: 'collapsed',
        position: { x: p.x, y: p.y },
        data: { group: v.group },
        ...size,
        handles,
        focusable: false,
      });
    } else {
      nodes.push({
        id: v.id,
        type: 'topology',
        position: { x: p.x, y: p.y },
        parentId: v.parentId,
        data: { node: v.node },
        ...size,
        handles,
        focusable: false,
      });
    }
  }
  // Parents before children, as React Flow requires.
  nodes.sort((a, b) => Number(!!a.parentId) - Number(!!b.parentId));
  const curves = laid.layout.edges.filter(e => e.points.length < 2).length;
  const edges: Edge[] = laid.layout.edges.map(e => ({
    id: e.view.id,
    source: e.view.source,
    target: e.view.target,
    type: 'topology',
    data: {
      view: e.view,
      points: e.points,
      labelAt: e.labelAt,
      labelOnCanvas: e.points.length >= 2 || curves <= CURVE_LABELS_MAX,
    },
    animated: e.view.mirror,
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    focusable: false,
    // Routed edges above the groups' frames; curves (between namespaces of an overview) beneath
    // the nodes, so they do not cross out the namespaces' names.
    zIndex: e.points.length >= 2 ? 1 : 0,
  }));
  return { nodes, edges };
}

function GraphInner(props: TopologyGraphViewProps) {
  const {
    graph,
    height = 640,
    collapseThreshold = DEFAULT_COLLAPSE_THRESHOLD,
    renderDetails,
    onRendered,
  } = props;
  const theme = useTheme();
  const flow = useReactFlow();
  const engine = useMemo(
    () => props.layoutEngine ?? defaultLayoutEngine(),
    [props.layoutEngine],
  );

  // The view: memoized on the graph and the collapsed groups only, so panning, zooming, search
  // and selection never lay out again.
  const groups = useMemo(() => groupNodes(graph), [graph]);
  const defaults = useMemo(
    () => defaultCollapsed(graph, groups, collapseThreshold),
    [graph, groups, collapseThreshold],
  );
  const [overrides, setOverrides] = useState<Record<string, boolean>>({});
  const collapsed = useMemo(
    () => effectiveCollapsed(defaults, overrides),
    [defaults, overrides],
  );
  const view = useMemo(
    () => buildView(graph, groups, collapsed),
    [graph, groups, collapsed],
  );

  const [laid, setLaid] = useState<Laid>();
  const [layoutError, setLayoutError] = useState<Error>();
  useEffect(() => {
    let current = true;
    const t0 = performance.now();
    const elkGraph = toElkGraph(view);
    // Collapsed namespaces only: packed here, no worker or ELK to wait for.
    const packed = packOverview(elkGraph);
    (packed ? Promise.resolve(packed) : engine.layout(elkGraph)).then(
      result => {
        if (!current) return;
        setLayoutError(undefined);
        setLaid({
          view,
          layout: fromElkGraph(view, result),
          layoutMs: performance.now() - t0,
        });
      },
      e => current && setLayoutError(e),
    );
    return () => {
      current = false;
    };
  }, [engine, view]);

  const { nodes, edges } = useMemo(
    () => (laid ? toFlow(laid) : { nodes: [], edges: [] }),
    [laid],
  );

  const [selectedId, setSelectedId] = useState<string>();
  const [query, setQuery] = useState('');
  const matchesList = useMemo(() => searchNodes(graph, query), [graph, query]);
  const matches = useMemo(
    () => (query.trim() ? new Set(matchesList.map(n => n.id)) : null),
    [matchesList, query],
  );
  const pendingFocus = useRef<string>();
  /** What the viewport was last fitted to: a focused node, or (undefined) the whole graph. */
  const fitTarget = useRef<string>();
  const store = useStoreApi();
  // Computed here and set at once: React Flow's fitView() is queued behind a node update that
  // never comes for controlled nodes once its node lookup differs from them (after a second
  // graph, it silently did not fit; e2e Topology).
  const fit = useCallback(
    (duration?: number) => {
      const state = store.getState();
      const id = fitTarget.current;
      const shown =
        id && state.nodeLookup.has(id) ? [id] : [...state.nodeLookup.keys()];
      if (!shown.length || !state.width || !state.height) return;
      const viewport = getViewportForBounds(
        flow.getNodesBounds(shown),
        state.width,
        state.height,
        state.minZoom,
        id ? 1.2 : 1,
        id ? 0.1 : 0.05,
      );
      flow.setViewport(viewport, { duration });
    },
    [flow, store],
  );

  const toggleGroup = useCallback(
    (groupId: string) =>
      setOverrides(o => ({ ...o, [groupId]: !collapsed.has(groupId) })),
    [collapsed],
  );
  const ui: TopologyUi = useMemo(
    () => ({ matches, selectedId, toggleGroup }),
    [matches, selectedId, toggleGroup],
  );

  const focusNode = useCallback(
    (id: string) => {
      setSelectedId(id);
      const gid = groups.find(g => g.nodeIds.includes(id))?.id;
      if (gid && collapsed.has(gid)) {
        pendingFocus.current = id;
        setOverrides(o => ({ ...o, [gid]: false }));
        return;
      }
      fitTarget.current = id;
      fit(300);
    },
    [groups, collapsed, fit],
  );

  // A new layout on screen: fit it (or the node waiting to be focused), then report it painted.
  useEffect(() => {
    if (!laid) return undefined;
    const focus = pendingFocus.current;
    pendingFocus.current = undefined;
    let frame = requestAnimationFrame(() => {
      fitTarget.current =
        focus && laid.view.nodes.some(n => n.id === focus) ? focus : undefined;
      fit();
      frame = requestAnimationFrame(() =>
        onRendered?.({
          nodes: laid.layout.nodes.length,
          edges: laid.layout.edges.length,
          layoutMs: laid.layoutMs,
        }),
      );
    });
    return () => cancelAnimationFrame(frame);
  }, [laid, fit, onRendered]);

  const onNodeClick: NodeMouseHandler = useCallback((_e, node) => {
    if (node.type === 'topology') setSelectedId(node.id);
  }, []);

  const selected = useMemo(
    () => (selectedId ? graph.nodes.find(n => n.id === selectedId) : undefined),
    [graph, selectedId],
  );

  // The details panel takes width from the canvas when it opens and gives it back when it closes:
  // once React Flow has measured the new width, fit again what was fitted (the graph or the
  // focused node). Selection changes neither the view nor the layout, so nothing is laid out
  // again.
  const panelOpen = !!(selected && renderDetails);
  const canvasWidth = useStore(s => s.width);
  const panelWas = useRef(panelOpen);
  const refitPending = useRef(false);
  useEffect(() => {
    if (panelWas.current === panelOpen) return;
    panelWas.current = panelOpen;
    refitPending.current = true;
  }, [panelOpen]);
  useEffect(() => {
    if (!refitPending.current || !laid) return;
    refitPending.current = false;
    fit();
  }, [canvasWidth, laid, fit]);

  return (
    <TopologyUiContext.Provider value={ui}>
      <Box
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          gap: 1,
          mb: 1,
        }}
      >
        <TextField
          size="small"
          label="Search nodes"
          value={query}
          onChange={e => setQuery(e.target.value)}
          onKeyDown={e => {
            if (e.key === 'Enter' && matchesList[0])
              focusNode(matchesList[0].id);
          }}
          inputProps={{ 'aria-describedby': 'topology-search-count' }}
          sx={{ width: 240 }}
        />
        {matches && (
          <Typography
            id="topology-search-count"
            variant="body2"
            color="text.secondary"
          >
            {matchesList.length} match{matchesList.length === 1 ? '' : 'es'}
          </Typography>
        )}
        {matchesList.slice(0, 8).map(n => (
          <Button
            key={n.id}
            size="small"
            variant="outlined"
            onClick={() => focusNode(n.id)}
            aria-label={`Focus ${n.name}${
              n.namespace ? ` in ${n.namespace}` : ''
            }`}
            sx={{ textTransform: 'none' }}
          >
            {n.name}
          </Button>
        ))}
        <Box sx={{ flex: 1 }} />
        <Typography variant="body2" color="text.secondary">
          {graph.nodes.length} nodes · {graph.edges.length} edges
          {collapsed.size > 0 &&
            ` · ${collapsed.size} namespace${
              collapsed.size === 1 ? '' : 's'
            } collapsed`}
        </Typography>
      </Box>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'stretch' }}>
        <Box
          data-testid="topology-graph"
          data-layout={laid ? 'ready' : 'pending'}
          sx={{
            flex: 1,
            minWidth: 0,
            height,
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
            position: 'relative',
            // Edge labels above edges, below the open details.
            '& .react-flow__edgelabel-renderer': { zIndex: 2 },
          }}
        >
          {layoutError && (
            <Typography color="error" sx={{ p: 2 }}>
              The graph could not be laid out: {layoutError.message}
            </Typography>
          )}
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodeClick={onNodeClick}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            nodesFocusable={false}
            edgesFocusable={false}
            // Small graphs render whole (cheap, and every node stays findable); big ones only
            // what is on screen.
            onlyRenderVisibleElements={nodes.length > VISIBLE_ONLY_ABOVE}
            minZoom={0.05}
            maxZoom={2}
            colorMode={theme.palette.mode === 'dark' ? 'dark' : 'light'}
            proOptions={{ hideAttribution: true }}
            style={
              {
                '--xy-background-color': theme.palette.background.default,
              } as CSSProperties
            }
            aria-label="Topology graph"
          >
            <Background gap={24} size={1} />
            <Controls showInteractive={false} />
          </ReactFlow>
        </Box>
        {panelOpen && (
          <Box
            sx={{
              width: 360,
              flexShrink: 0,
              maxHeight: height,
              overflow: 'auto',
            }}
          >
            {renderDetails!(selected!, () => setSelectedId(undefined))}
          </Box>
        )}
      </Box>
      <TopologyLegend />
    </TopologyUiContext.Provider>
  );
}

/**
 * Starts the layout engine (the default one unless given) when the component that will show a
 * graph mounts, before the graph arrives: worker started, ELK loaded, a tiny layout run (see
 * `LayoutEngine.warmUp`). The Topology tab calls it beside its API request.
 * @public
 */
export function useTopologyLayoutWarmUp(
  options: { engine?: LayoutEngine; enabled?: boolean } = {},
) {
  const { engine, enabled = true } = options;
  useEffect(() => {
    if (enabled) void (engine ?? defaultLayoutEngine()).warmUp?.();
  }, [engine, enabled]);
}

/**
 * A topology graph (an entity's neighbourhood, a namespace or a cluster): ELK's layered layout
 * left to right in a web worker, drawn with React Flow; namespaces as collapsible groups,
 * collapsed beyond a threshold; search and focus; only what is on screen is rendered.
 * @public
 */
export function TopologyGraphView(props: TopologyGraphViewProps) {
  return (
    <ReactFlowProvider>
      <GraphInner {...props} />
    </ReactFlowProvider>
  );
}
