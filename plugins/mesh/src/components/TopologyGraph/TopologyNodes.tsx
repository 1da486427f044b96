import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useTheme, type Theme } from '@mui/material/styles';
import type {
  TopologyHealth,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';
import { HEALTH_TEXT, kindText, type TopologyGroup } from './model';
import { GROUP_HEADER } from './layout/elkGraph';
import { healthColor } from './colors';
import { useTopologyUi } from './context';

export type TopologyNodeData = { node: TopologyNode };
export type GroupNodeData = { group: TopologyGroup };

const hidden = {
  opacity: 0,
  width: 1,
  height: 1,
  minWidth: 0,
  minHeight: 0,
  border: 0,
};

/** Edges attach here; the routes themselves come from the layout. */
function Handles() {
  return (
    <>
      <Handle
        type="target"
        position={Position.Left}
        style={hidden}
        isConnectable={false}
      />
      <Handle
        type="source"
        position={Position.Right}
        style={hidden}
        isConnectable={false}
      />
    </>
  );
}

function HealthBadge({ health }: { health: TopologyHealth }) {
  const theme = useTheme();
  const { icon, text } = HEALTH_TEXT[health];
  return (
    <span
      style={{
        display: 'inline-flex',
        alignItems: 'center',
        gap: 3,
        fontSize: 11,
        fontWeight: 600,
        color: healthColor(theme, health),
        whiteSpace: 'nowrap',
      }}
    >
      <span aria-hidden>{icon}</span>
      {text}
    </span>
  );
}

/** One line of facts under the name: kind, version, pods. */
function facts(node: TopologyNode): string {
  const parts = [kindText(node)];
  if (node.version) parts.push(node.version);
  if (node.pods) parts.push(`${node.pods.ready}/${node.pods.total} ready`);
  if (node.kind === 'external' && node.hosts?.length) parts.push(node.hosts[0]);
  return parts.join(' · ');
}

const RADIUS: Record<TopologyNode['kind'], number> = {
  service: 28,
  gateway: 2,
  workload: 6,
  external: 6,
};

function nodeBackground(theme: Theme, node: TopologyNode): string {
  if (!node.focus) return theme.palette.background.paper;
  return theme.palette.mode === 'dark' ? '#1f3347' : '#e3f0fd';
}

function nodeShadow(
  theme: Theme,
  node: TopologyNode,
  selected: boolean,
  match: boolean,
): string | undefined {
  if (selected) return `0 0 0 3px ${theme.palette.primary.main}`;
  if (match) return `0 0 0 3px ${theme.palette.warning.main}`;
  if (node.kind === 'gateway')
    return `inset 0 0 0 2px ${theme.palette.divider}`;
  return undefined;
}

function groupHealth(group: TopologyGroup): TopologyHealth {
  if (group.health.failing) return 'failing';
  if (group.health.degraded) return 'degraded';
  if (group.health.healthy) return 'healthy';
  return 'unknown';
}

/** A workload, service, gateway or external host: a button (Enter or click opens its details). */
export const TopologyNodeView = memo(function TopologyNodeViewInner({
  id,
  data,
}: NodeProps<Node<TopologyNodeData>>) {
  const theme = useTheme();
  const ui = useTopologyUi();
  const { node } = data;
  const color = healthColor(theme, node.health);
  const selected = ui.selectedId === id;
  const dim = ui.matches && !ui.matches.has(id);
  const match = ui.matches?.has(id);
  const label = `${node.name}, ${kindText(node)}${
    node.namespace ? ` in ${node.namespace}` : ''
  }, ${HEALTH_TEXT[node.health].text}${node.focus ? ', this entity' : ''}`;
  return (
    <>
      <Handles />
      <button
        type="button"
        aria-label={label}
        aria-pressed={selected}
        data-testid="topology-node"
        data-node-id={id}
        data-focus={node.focus ? 'true' : undefined}
        style={{
          all: 'unset',
          boxSizing: 'border-box',
          cursor: 'pointer',
          width: '100%',
          height: '100%',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'center',
          gap: 2,
          padding: '4px 10px 4px 12px',
          borderRadius: RADIUS[node.kind],
          background: nodeBackground(theme, node),
          color: theme.palette.text.primary,
          border: `${node.focus ? 3 : 1.5}px ${
            node.kind === 'external' ? 'dashed' : 'solid'
          } ${node.focus ? theme.palette.primary.main : theme.palette.divider}`,
          borderLeft: `6px solid ${color}`,
          boxShadow: nodeShadow(theme, node, selected, !!match),
          opacity: dim ? 0.35 : 1,
          fontFamily: theme.typography.fontFamily,
        }}
      >
        <span
          style={{
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'baseline',
            gap: 6,
          }}
        >
          <span
            style={{
              fontWeight: 700,
              fontSize: 13,
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
            title={node.name}
          >
            {node.name}
          </span>
          <HealthBadge health={node.health} />
        </span>
        <span
          style={{
            fontSize: 11,
            color: theme.palette.text.secondary,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
          }}
        >
          {facts(node)}
          {node.focus ? ' · this entity' : ''}
        </span>
      </button>
    </>
  );
});

function groupSummary(group: TopologyGroup): string {
  const n = group.nodeIds.length;
  const bad = [
    group.health.failing && `${group.health.failing} failing`,
    group.health.degraded && `${group.health.degraded} degraded`,
  ].filter(Boolean);
  return [`${n} node${n === 1 ? '' : 's'}`, ...bad].join(' · ');
}

/** An open namespace: a frame around its nodes with a header to collapse it. */
export const GroupNodeView = memo(function GroupNodeViewInner({
  data,
}: NodeProps<Node<GroupNodeData>>) {
  const theme = useTheme();
  const ui = useTopologyUi();
  const { group } = data;
  return (
    <div
      data-testid="topology-group"
      data-group-id={group.id}
      style={{
        width: '100%',
        height: '100%',
        boxSizing: 'border-box',
        borderRadius: 8,
        border: `1px dashed ${theme.palette.text.disabled}`,
        background:
          theme.palette.mode === 'dark'
            ? 'rgba(255,255,255,0.03)'
            : 'rgba(0,0,0,0.025)',
        fontFamily: theme.typography.fontFamily,
      }}
    >
      <div
        style={{
          height: GROUP_HEADER,
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          padding: '0 8px 0 12px',
          color: theme.palette.text.secondary,
          fontSize: 12,
        }}
      >
        <strong style={{ color: theme.palette.text.primary, fontSize: 13 }}>
          {group.label}
        </strong>
        <span>{groupSummary(group)}</span>
        <button
          type="button"
          className="nodrag"
          aria-label={`Collapse namespace ${group.label}`}
          title="Collapse"
          onClick={e => {
            e.stopPropagation();
            ui.toggleGroup(group.id);
          }}
          style={{
            marginLeft: 'auto',
            cursor: 'pointer',
            border: `1px solid ${theme.palette.divider}`,
            borderRadius: 4,
            background: theme.palette.background.paper,
            color: theme.palette.text.primary,
            width: 24,
            height: 22,
            lineHeight: '18px',
          }}
        >
          −
        </button>
      </div>
    </div>
  );
});

/** A collapsed namespace: one node with its counts; click or Enter opens it. */
export const CollapsedGroupNodeView = memo(
  function CollapsedGroupNodeViewInner({
    data,
  }: NodeProps<Node<GroupNodeData>>) {
    const theme = useTheme();
    const ui = useTopologyUi();
    const { group } = data;
    const worst = groupHealth(group);
    const dim = ui.matches && !group.nodeIds.some(id => ui.matches!.has(id));
    return (
      <>
        <Handles />
        <button
          type="button"
          data-testid="topology-collapsed-group"
          data-group-id={group.id}
          aria-label={`Expand namespace ${group.label} (${groupSummary(
            group,
          )})`}
          onClick={e => {
            e.stopPropagation();
            ui.toggleGroup(group.id);
          }}
          style={{
            all: 'unset',
            boxSizing: 'border-box',
            cursor: 'pointer',
            width: '100%',
            height: '100%',
            display: 'flex',
            flexDirection: 'column',
            justifyContent: 'center',
            gap: 2,
            padding: '4px 12px',
            borderRadius: 8,
            border: `2px ${group.focus ? 'solid' : 'dashed'} ${
              group.focus
                ? theme.palette.primary.main
                : theme.palette.text.disabled
            }`,
            borderLeft: `6px solid ${healthColor(theme, worst)}`,
            background:
              theme.palette.mode === 'dark'
                ? 'rgba(255,255,255,0.06)'
                : 'rgba(0,0,0,0.04)',
            color: theme.palette.text.primary,
            opacity: dim ? 0.35 : 1,
            fontFamily: theme.typography.fontFamily,
          }}
        >
          <span style={{ fontWeight: 700, fontSize: 13 }}>⊞ {group.label}</span>
          <span style={{ fontSize: 11, color: theme.palette.text.secondary }}>
            {groupSummary(group)} · collapsed
          </span>
        </button>
      </>
    );
  },
);
