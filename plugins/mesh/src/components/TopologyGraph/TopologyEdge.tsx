import { memo } from 'react';
import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  type Edge,
  type EdgeProps,
} from '@xyflow/react';
import { useTheme } from '@mui/material/styles';
import type { Point } from './layout/elkGraph';
import type { ViewEdge } from './model';
import { healthColor } from './colors';
import { useTopologyUi } from './context';

export type TopologyEdgeData = {
  view: ViewEdge;
  points: Point[];
  labelAt?: Point;
  /** False: the label is the edge's tooltip instead (see CURVE_LABELS_MAX). */
  labelOnCanvas?: boolean;
};

/** An SVG path through the layout's route, corners rounded. */
export function routePath(points: Point[], r = 8): string {
  if (points.length < 2) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const d1 = Math.hypot(b.x - a.x, b.y - a.y);
    const d2 = Math.hypot(c.x - b.x, c.y - b.y);
    const k = Math.min(r, d1 / 2, d2 / 2);
    const p1 = {
      x: b.x - ((b.x - a.x) / d1) * k,
      y: b.y - ((b.y - a.y) / d1) * k,
    };
    const p2 = {
      x: b.x + ((c.x - b.x) / d2) * k,
      y: b.y + ((c.y - b.y) / d2) * k,
    };
    d += ` L ${p1.x} ${p1.y} Q ${b.x} ${b.y} ${p2.x} ${p2.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}

/** Colour by health, dashed when only the catalog declares it, marching dots for mirrors. */
export const TopologyEdgeView = memo(function TopologyEdgeViewInner(
  props: EdgeProps<Edge<TopologyEdgeData>>,
) {
  const theme = useTheme();
  const ui = useTopologyUi();
  const { data, id, markerEnd } = props;
  const view = data!.view;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (data!.points.length >= 2) {
    path = routePath(data!.points);
    const mid =
      data!.labelAt ?? data!.points[Math.floor(data!.points.length / 2)];
    labelX = mid.x;
    labelY = mid.y;
  } else {
    [path, labelX, labelY] = getBezierPath(props);
  }
  const color =
    view.kind === 'selects' && view.health !== 'failing'
      ? theme.palette.text.disabled
      : healthColor(theme, view.health);
  const dim =
    ui.matches && !(ui.matches.has(view.source) || ui.matches.has(view.target));
  let dash: string | undefined;
  if (view.kind === 'declared') dash = '7 5';
  else if (view.mirror) dash = '2 4';
  const onCanvas = data!.labelOnCanvas !== false;
  return (
    <g>
      {view.label && !onCanvas && <title>{view.label}</title>}
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        style={{
          stroke: color,
          strokeWidth: view.kind === 'selects' ? 1.2 : 2,
          strokeDasharray: dash,
          opacity: dim ? 0.25 : 1,
        }}
      />
      {view.label && onCanvas && (
        <EdgeLabelRenderer>
          <div
            data-testid="topology-edge-label"
            data-edge-id={id}
            className="nodrag nopan"
            style={{
              position: 'absolute',
              transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`,
              fontSize: 11,
              lineHeight: '14px',
              padding: '1px 5px',
              borderRadius: 4,
              whiteSpace: 'pre',
              textAlign: 'center',
              background: theme.palette.background.paper,
              color: theme.palette.text.primary,
              border: `1px solid ${color}`,
              opacity: dim ? 0.3 : 1,
              fontFamily: theme.typography.fontFamily,
              pointerEvents: 'none',
            }}
          >
            {view.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </g>
  );
});
