import { useCallback, useState } from 'react';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteRef,
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  isMeshAvailable,
  type TopologyGraph,
} from '@meshstage/plugin-mesh-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Button from '@mui/material/Button';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { meshApiRef } from '../../api';
import {
  NodeDetailsPanel,
  TopologyGraphView,
  useTopologyLayoutWarmUp,
} from '../TopologyGraph';

const DEPTHS = [1, 2, 3, 4, 5];
const WINDOWS = ['1m', '5m', '15m', '1h', '6h'];

/** The notices above the graph: traffic source, unreadable clusters, truncation. */
export function TopologyNotices({ graph }: { graph: TopologyGraph }) {
  const { traffic, clusterErrors, truncated } = graph;
  return (
    <Box sx={{ display: 'grid', gap: 1, mb: 2 }} data-testid="topology-notices">
      {traffic.source === 'none' && (
        <Alert severity="info">
          No traffic figures: no metrics source is configured, so the edges come
          from routing configuration only. Configuring{' '}
          <code>mesh.metrics.prometheus</code> in app-config adds request rates,
          error ratios and latencies to the edges.
        </Alert>
      )}
      {traffic.source !== 'none' && traffic.error && (
        <Alert severity="warning">
          Traffic figures are unavailable ({traffic.source}: {traffic.error}).
          The edges shown come from configuration only.
        </Alert>
      )}
      {clusterErrors.map(e => (
        <Alert key={e.cluster} severity="warning">
          Cluster {e.cluster} could not be read: {e.message}. Its nodes are
          missing from the graph.
        </Alert>
      ))}
      {truncated && (
        <Alert severity="warning">
          The graph was cut to {truncated.limit} nodes of {truncated.nodes}:
          lower the depth to see a complete neighbourhood.
        </Alert>
      )}
    </Box>
  );
}

/**
 * The entity's Topology tab: its workloads and services with their neighbours, from routing
 * configuration and, when Prometheus is configured, observed traffic.
 * @public
 */
export function EntityTopologyContent() {
  const { entity } = useEntity();
  const meshApi = useApi(meshApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const available = isMeshAvailable(entity);
  const entityRef = stringifyEntityRef(entity);
  const [depth, setDepth] = useState(1);
  const [window, setWindow] = useState('5m');
  // The layout worker starts and ELK loads while the graph is being fetched.
  useTopologyLayoutWarmUp({ enabled: available });

  const topology = useAsyncRetry(async () => {
    if (!available) return undefined;
    return meshApi.getTopology({ entityRef }, { depth, window });
  }, [meshApi, entityRef, available, depth, window]);

  const entityLink = useCallback(
    (ref: string) => {
      try {
        const { kind, namespace, name } = parseEntityRef(ref);
        return entityRoute({ kind, namespace, name });
      } catch {
        return undefined;
      }
    },
    [entityRoute],
  );

  if (!available) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          KUBERNETES_ID_ANNOTATION,
          KUBERNETES_LABEL_SELECTOR_ANNOTATION,
        ]}
      />
    );
  }

  const graph = topology.value;
  const controls = (
    <Box
      sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}
    >
      <FormControl size="small" sx={{ minWidth: 110 }}>
        <InputLabel id="topology-depth-label">Depth</InputLabel>
        <Select
          labelId="topology-depth-label"
          label="Depth"
          value={depth}
          onChange={e => setDepth(Number(e.target.value))}
        >
          {DEPTHS.map(d => (
            <MenuItem key={d} value={d}>
              {d} hop{d === 1 ? '' : 's'}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl size="small" sx={{ minWidth: 130 }}>
        <InputLabel id="topology-window-label">Traffic window</InputLabel>
        <Select
          labelId="topology-window-label"
          label="Traffic window"
          value={window}
          onChange={e => setWindow(String(e.target.value))}
        >
          {WINDOWS.map(w => (
            <MenuItem key={w} value={w}>
              {w}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Button size="small" onClick={topology.retry} disabled={topology.loading}>
        Refresh
      </Button>
    </Box>
  );

  let body: JSX.Element;
  if (topology.error) {
    body = <ResponseErrorPanel error={topology.error} />;
  } else if (!graph) {
    body = <Progress />;
  } else if (graph.nodes.length === 0) {
    body = (
      <>
        <TopologyNotices graph={graph} />
        <EmptyState
          missing="data"
          title="No workloads found"
          description={`No workload, service or gateway of ${entityRef} was found in the clusters (its Kubernetes annotations select nothing yet, or its clusters could not be read).`}
        />
      </>
    );
  } else {
    body = (
      <>
        <TopologyNotices graph={graph} />
        {topology.loading && <Progress />}
        <TopologyGraphView
          graph={graph}
          renderDetails={(node, close) => (
            <NodeDetailsPanel
              node={node}
              graph={graph}
              onClose={close}
              entityLink={entityLink}
            />
          )}
        />
      </>
    );
  }

  return (
    <InfoCard title="Topology" action={controls}>
      <Box data-testid="topology-tab">{body}</Box>
    </InfoCard>
  );
}
