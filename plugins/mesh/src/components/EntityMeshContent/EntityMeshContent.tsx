import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  KUBERNETES_ID_ANNOTATION,
  MESH_ANNOTATION,
  MeshPodStatus,
  MeshStatus,
  isMeshAvailable,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import { MeshCoverage, summarizeEntityMesh } from './meshSummary';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

type PodRow = MeshPodStatus & { cluster: string; id: string };

const podColumns: TableColumn<PodRow>[] = [
  { title: 'Pod', field: 'name', highlight: true },
  { title: 'Cluster', field: 'cluster' },
  { title: 'Namespace', field: 'namespace' },
  {
    title: 'Status',
    render: p =>
      p.ready ? (
        <StatusOK>{p.phase}</StatusOK>
      ) : (
        <StatusWarning>{p.phase}</StatusWarning>
      ),
  },
  {
    title: 'Mesh',
    render: p =>
      p.mesh ? (
        <StatusOK>
          {p.mesh}
          {p.proxyVersion ? ` ${p.proxyVersion}` : ''}
        </StatusOK>
      ) : (
        <StatusWarning>no proxy</StatusWarning>
      ),
  },
  {
    title: 'Containers',
    render: p => p.containers.map(c => c.name).join(', '),
  },
];

const controlPlaneColumns: TableColumn<MeshStatus & { id: string }>[] = [
  { title: 'Cluster', field: 'cluster', highlight: true },
  { title: 'Mesh', field: 'mesh' },
  {
    title: 'Control plane',
    render: s => {
      if (s.error) return <StatusError>{s.error}</StatusError>;
      if (!s.installed) return <StatusWarning>not installed</StatusWarning>;
      const unhealthy = s.components.filter(c => !c.healthy);
      const total = plural(s.components.length, 'component');
      return unhealthy.length ? (
        <StatusWarning>
          {unhealthy.length} of {total} unhealthy
        </StatusWarning>
      ) : (
        <StatusOK>{total} healthy</StatusOK>
      );
    },
  },
  { title: 'Versions', render: s => s.versions.join(', ') || '-' },
  { title: 'Revisions', render: s => s.revisions.join(', ') || '-' },
  {
    title: 'mTLS',
    render: s =>
      s.mtls ? <span title={s.mtls.source}>{s.mtls.mode}</span> : '-',
  },
  {
    title: 'Conflicts',
    render: s =>
      s.conflicts?.length ? (
        <>
          {s.conflicts.map(c => (
            <StatusError key={`${c.type}/${c.namespace}/${c.pod ?? ''}`}>
              {c.message}
            </StatusError>
          ))}
        </>
      ) : (
        'none'
      ),
  },
];

const summaryStatusComponent: Record<MeshCoverage, typeof StatusOK> = {
  meshed: StatusOK,
  partial: StatusWarning,
  unmeshed: StatusWarning,
  'no-workloads': StatusWarning,
  'mesh-missing': StatusError,
  'wrong-mesh': StatusError,
};

/**
 * The entity's Mesh tab: its pods on every cluster, which of them run a mesh proxy, and the
 * state of the mesh it expects (`meshstage.io/mesh`) on those clusters.
 * @public
 */
export function EntityMeshContent() {
  const { entity } = useEntity();
  const meshApi = useApi(meshApiRef);
  const available = isMeshAvailable(entity);
  const desiredMesh = entity.metadata.annotations?.[MESH_ANNOTATION];

  const { value, loading, error } = useAsync(async () => {
    if (!available) return undefined;
    const [status, controlPlanes] = await Promise.all([
      meshApi.getEntityStatus(getCompoundEntityRef(entity)),
      meshApi.getStatus(desiredMesh ? { mesh: desiredMesh } : {}),
    ]);
    return { status, controlPlanes };
  }, [meshApi, entity, available, desiredMesh]);

  if (!available) {
    return (
      <MissingAnnotationEmptyState annotation={KUBERNETES_ID_ANNOTATION} />
    );
  }
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const { status, controlPlanes } = value;
  const summary = summarizeEntityMesh(status, controlPlanes);
  const rows: PodRow[] = status.clusters.flatMap(c =>
    c.pods.map(p => ({
      ...p,
      cluster: c.cluster,
      id: `${c.cluster}/${p.namespace}/${p.name}`,
    })),
  );
  const clusterErrors = status.clusters.filter(c => c.error);
  const SummaryStatus = summaryStatusComponent[summary.coverage];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Mesh">
          <Typography variant="body1">
            Expected mesh:{' '}
            <strong>
              {status.desiredMesh ??
                'none (add the meshstage.io/mesh annotation)'}
            </strong>
          </Typography>
          <Typography variant="body1" component="div">
            <SummaryStatus>{summary.message}</SummaryStatus>
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Workloads selected by {status.labelSelector}
          </Typography>
          {clusterErrors.map(c => (
            <Typography key={c.cluster} variant="body2" component="div">
              <StatusError>
                {c.cluster}: {c.error}
              </StatusError>
            </Typography>
          ))}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Table<MeshStatus & { id: string }>
          title="Control planes"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={controlPlaneColumns}
          data={controlPlanes.map(s => ({
            ...s,
            id: `${s.cluster}/${s.mesh}`,
          }))}
        />
      </Grid>
      <Grid item xs={12}>
        <Table<PodRow>
          title="Pods"
          options={{
            paging: rows.length > 20,
            pageSize: 20,
            search: false,
            padding: 'dense',
          }}
          columns={podColumns}
          data={rows}
        />
      </Grid>
    </Grid>
  );
}
