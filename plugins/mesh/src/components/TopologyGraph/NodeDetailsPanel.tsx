import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { Link } from '@backstage/core-components';
import type {
  TopologyEdge,
  TopologyEdgeRule,
  TopologyGraph,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';
import { healthColor } from './colors';
import { HEALTH_TEXT, kindText, trafficLabel } from './model';

/** @public */
export interface NodeDetailsPanelProps {
  node: TopologyNode;
  graph: TopologyGraph;
  onClose(): void;
  /** The catalog page of an entity ref, when the app can link there. */
  entityLink?: (entityRef: string) => string | undefined;
}

function Row({
  label,
  children,
}: {
  label: string;
  children: React.ReactNode;
}) {
  return (
    <>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0 }}>
        {children}
      </Typography>
    </>
  );
}

function ruleText(rule: TopologyEdgeRule): string {
  const r = rule.resource;
  const parts = [`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`];
  if (rule.subset) parts.push(`subset ${rule.subset}`);
  if (rule.weight !== undefined) parts.push(`weight ${rule.weight}%`);
  if (rule.mirror) parts.push('mirror');
  if (rule.match) parts.push(`match ${rule.match}`);
  return parts.join(' · ');
}

const KIND_TEXT: Record<TopologyEdge['kind'], string> = {
  routes: 'routes',
  selects: 'selects',
  calls: 'calls (traffic only)',
  declared: 'declared in the catalog',
};

function EdgeItem({
  edge,
  other,
  direction,
}: {
  edge: TopologyEdge;
  other?: TopologyNode;
  direction: 'to' | 'from';
}) {
  const theme = useTheme();
  const traffic = trafficLabel(edge.traffic);
  return (
    <Box component="li" sx={{ mb: 1 }} data-testid="topology-panel-edge">
      <Typography variant="body2">
        <Box component="span" sx={{ color: healthColor(theme, edge.health) }}>
          {HEALTH_TEXT[edge.health].icon}
        </Box>{' '}
        {direction === 'to' ? '→' : '←'}{' '}
        <strong>
          {other?.name ?? (direction === 'to' ? edge.target : edge.source)}
        </strong>{' '}
        <Typography component="span" variant="caption" color="text.secondary">
          {KIND_TEXT[edge.kind]}
        </Typography>
      </Typography>
      {traffic && (
        <Typography variant="caption" component="div">
          {traffic}
          {edge.traffic?.p50Ms !== undefined &&
            ` · p50 ${edge.traffic.p50Ms} ms`}
        </Typography>
      )}
      {edge.rules.map((rule, i) => (
        <Typography
          key={i}
          variant="caption"
          component="div"
          color="text.secondary"
          sx={{ wordBreak: 'break-word' }}
        >
          {ruleText(rule)} ({rule.source})
        </Typography>
      ))}
    </Box>
  );
}

/** A node's details: what it is, its pods, mesh and health, and the rules of its edges. */
export function NodeDetailsPanel({
  node,
  graph,
  onClose,
  entityLink,
}: NodeDetailsPanelProps) {
  const theme = useTheme();
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const outgoing = graph.edges.filter(e => e.source === node.id);
  const incoming = graph.edges.filter(e => e.target === node.id);
  const href = node.entityRef ? entityLink?.(node.entityRef) : undefined;
  const health = HEALTH_TEXT[node.health];
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={`Details of ${node.name}`}
      data-testid="topology-details"
      sx={{ p: 2 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h6" sx={{ wordBreak: 'break-word' }}>
            {node.name}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {kindText(node)}
            {node.namespace && ` in ${node.namespace}`} · cluster {node.cluster}
          </Typography>
        </Box>
        <IconButton size="small" aria-label="Close details" onClick={onClose}>
          ✕
        </IconButton>
      </Box>
      <Box
        component="dl"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'auto 1fr',
          columnGap: 2,
          rowGap: 0.5,
          my: 1.5,
        }}
      >
        <Row label="Health">
          <Box
            component="span"
            sx={{ color: healthColor(theme, node.health), fontWeight: 600 }}
          >
            {health.icon} {health.text}
          </Box>
          {node.healthReason && ` (${node.healthReason})`}
        </Row>
        {node.version && <Row label="Version">{node.version}</Row>}
        {node.pods && (
          <>
            <Row label="Pods ready">
              {node.pods.ready} of {node.pods.total}
            </Row>
            <Row label="Pods meshed">
              {node.pods.meshed} of {node.pods.total}
            </Row>
          </>
        )}
        <Row label="Mesh">
          {node.mesh
            ? `${node.mesh}${node.meshVersion ? ` ${node.meshVersion}` : ''}`
            : 'none'}
        </Row>
        {node.hosts?.length ? (
          <Row label="Hosts">{node.hosts.join(', ')}</Row>
        ) : null}
        <Row label="Entity">
          {href ? (
            <Link to={href}>{node.entityRef}</Link>
          ) : (
            node.entityRef ?? 'not in the catalog'
          )}
        </Row>
      </Box>
      {href && (
        <Typography variant="body2" sx={{ mb: 1 }}>
          <Link to={`${href}/mesh`}>Open its Mesh tab</Link>
        </Typography>
      )}
      <Divider sx={{ my: 1 }} />
      <Typography variant="subtitle2">Outgoing ({outgoing.length})</Typography>
      <Box component="ul" sx={{ pl: 0, listStyle: 'none', my: 0.5 }}>
        {outgoing.map(e => (
          <EdgeItem
            key={e.id}
            edge={e}
            other={byId.get(e.target)}
            direction="to"
          />
        ))}
      </Box>
      <Typography variant="subtitle2">Incoming ({incoming.length})</Typography>
      <Box component="ul" sx={{ pl: 0, listStyle: 'none', my: 0.5 }}>
        {incoming.map(e => (
          <EdgeItem
            key={e.id}
            edge={e}
            other={byId.get(e.source)}
            direction="from"
          />
        ))}
      </Box>
    </Paper>
  );
}
