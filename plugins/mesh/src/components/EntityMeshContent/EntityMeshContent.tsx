import { useCallback, useRef, useState } from 'react';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
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
import useInterval from 'react-use/esm/useInterval';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  MESH_ANNOTATION,
  MeshPodStatus,
  MeshStatus,
  Operation,
  OperationFinalStateEvent,
  isMeshAvailable,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import { MeshCoverage, summarizeEntityMesh } from './meshSummary';
import {
  clusterMeshViews,
  podSidecar,
  type PodSidecar,
} from '../../lib/meshCoverage';
import { errorMessage } from '../../lib/operationErrors';
import {
  useEntityMeshPermission,
  useEntityRunAgainPermissions,
} from '../../hooks/useMeshPermission';
import { useStoppedNamespaceOperations } from '../../hooks/useStoppedNamespaceOperations';
import {
  type NamespaceOperation,
  RUN_AGAIN_LABELS,
  type RunAgainVerb,
} from '../../lib/runAgain';
import { OperationDialog } from '../shared/OperationDialog';
import { RunAgainDialog } from '../shared/RunAgainDialog';
import { ClusterMeshPanel, type NamespaceAction } from './ClusterMeshPanel';
import { NamespaceOperationCard } from './NamespaceOperationCard';
import { OnboardingStateLine } from './OnboardingStateLine';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

type PodRow = MeshPodStatus & {
  cluster: string;
  id: string;
  sidecar: PodSidecar;
};

const sidecarStatus: Record<PodSidecar['state'], typeof StatusOK> = {
  meshed: StatusOK,
  'not-meshed': StatusWarning,
  outdated: StatusWarning,
  'wrong-mesh': StatusError,
};

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
    title: 'Sidecar',
    render: p => {
      const Status = sidecarStatus[p.sidecar.state];
      return (
        <Status>
          {p.sidecar.label}
          {p.sidecar.detail ? ` (${p.sidecar.detail})` : ''}
        </Status>
      );
    },
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

/** Props of {@link EntityMeshContent}. */
export interface EntityMeshContentProps {
  /** How often the entity's status is re-read while an operation runs. Default 2000 ms. */
  pollIntervalMs?: number;
  /** Wait before reconnecting a broken operation event stream. Default 1000 ms. */
  retryDelayMs?: number;
}

/** The operation started (or resumed, or reverted) from the tab, followed until its final state. */
interface TrackedOperation {
  operation: Operation;
  final?: OperationFinalStateEvent;
}

/** A run of an operation: resume and revert are new runs of the same id. */
const runKey = (operation: { id: string; run?: number }) =>
  `${operation.id}#${operation.run ?? 1}`;

/** The resume or revert the tab's dialog is open for. */
interface RunAgain {
  verb: RunAgainVerb;
  operation: Pick<
    NamespaceOperation,
    'id' | 'action' | 'summary' | 'currentStep'
  >;
}

const runAgainWords = {
  resume: {
    effect: (op: RunAgain['operation']) =>
      `Runs “${op.summary}” again from ${
        op.currentStep !== undefined
          ? `step ${op.currentStep + 1}, the one`
          : 'the step'
      } that did not finish; the steps before it are not repeated.`,
  },
  revert: {
    effect: (op: RunAgain['operation']) =>
      `Undoes what “${op.summary}” changed: every object it applied, patched or deleted goes back to how it was before it ran.`,
  },
} as const;

const actionWords = {
  onboard: {
    verb: 'Onboard',
    preposition: 'to',
    effect: (mesh: string, ns: string, cluster: string) =>
      `Enables ${mesh} sidecar injection in namespace ${ns} on ${cluster} and restarts its workloads, so their pods get the mesh proxy.`,
  },
  offboard: {
    verb: 'Offboard',
    preposition: 'from',
    effect: (mesh: string, ns: string, cluster: string) =>
      `Disables ${mesh} sidecar injection in namespace ${ns} on ${cluster} and restarts its workloads, so their pods run without the mesh proxy.`,
  },
} as const;

/**
 * The entity's Mesh tab: per cluster, the mesh serving its pods (versions, revisions, mTLS,
 * namespace injection) with Onboard and Offboard for its namespace where the expected mesh
 * (`meshstage.io/mesh`) is installed; its pods with their sidecars; the control planes and
 * conflicts. Onboarding shows the plan, asks for confirmation and streams the operation's log,
 * while the pods are re-read every couple of seconds. An onboard or offboard of the entity's
 * namespace that stopped failed or interrupted (started here, or found after a reload) offers
 * Resume and Revert, each through its plan, to the entity's owners as well as the platform team.
 * @public
 */
export function EntityMeshContent(props: EntityMeshContentProps = {}) {
  const { pollIntervalMs = 2000, retryDelayMs } = props;
  const { entity } = useEntity();
  const meshApi = useApi(meshApiRef);
  const available = isMeshAvailable(entity);
  const desiredMesh = entity.metadata.annotations?.[MESH_ANNOTATION];
  const namespaceAnnotation =
    entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION];
  const entityRef = stringifyEntityRef(entity);
  const permissions = {
    onboard: useEntityMeshPermission('onboard', entityRef),
    offboard: useEntityMeshPermission('offboard', entityRef),
  };
  const runAgainPermissions = useEntityRunAgainPermissions(entityRef);
  const [dialog, setDialog] = useState<NamespaceAction | undefined>();
  const [again, setAgain] = useState<RunAgain | undefined>();
  const [tracked, setTracked] = useState<TrackedOperation | undefined>();
  const running = Boolean(tracked && !tracked.final);
  // Bumped when an operation ends, to look for the namespaces' stopped operations again.
  const [operationsRead, setOperationsRead] = useState(0);

  // Bumped to re-read the status; the previous value stays on screen while it loads.
  const [attempt, setAttempt] = useState(0);
  const refresh = useCallback(() => setAttempt(a => a + 1), []);
  const { value, loading, error } = useAsync(async () => {
    if (!available) return undefined;
    const [status, controlPlanes] = await Promise.all([
      meshApi.getEntityStatus(getCompoundEntityRef(entity)),
      meshApi.getStatus(desiredMesh ? { mesh: desiredMesh } : {}),
    ]);
    return { status, controlPlanes };
  }, [meshApi, entity, available, desiredMesh, attempt]);

  // Pods gain (or lose) their proxies as the operation restarts them: follow without a reload.
  useInterval(refresh, running ? pollIntervalMs : null);

  const views = value
    ? clusterMeshViews(value.status, value.controlPlanes, namespaceAnnotation)
    : [];
  // After a reload the tab no longer tracks what it started: a failed or interrupted onboard or
  // offboard of the entity's namespace is found again, with Resume and Revert.
  const stopped = useStoppedNamespaceOperations({
    mesh: value?.status.desiredMesh ?? desiredMesh,
    targets: views.flatMap(v =>
      v.namespaces.map(ns => ({ cluster: v.cluster, namespace: ns.name })),
    ),
    automatic: value?.status.onboarding?.operation,
    reload: operationsRead,
  });

  const finishedRuns = useRef(new Set<string>());
  const onFinished = useCallback(
    (operation: Operation, final: OperationFinalStateEvent) => {
      const key = runKey(operation);
      if (finishedRuns.current.has(key)) return;
      finishedRuns.current.add(key);
      setTracked(t => (t && runKey(t.operation) === key ? { ...t, final } : t));
      // Once more after the end, for the last restarts.
      refresh();
      setOperationsRead(n => n + 1);
    },
    [refresh],
  );

  if (!available) {
    return (
      <MissingAnnotationEmptyState annotation={KUBERNETES_ID_ANNOTATION} />
    );
  }
  if (!value) {
    if (error) return <ResponseErrorPanel error={error} />;
    if (loading) return <Progress />;
    return null;
  }

  const { status, controlPlanes } = value;
  const summary = summarizeEntityMesh(status, controlPlanes);
  const targets = views
    .filter(v => v.expectedInstalled)
    .reduce((n, v) => n + v.namespaces.length, 0);
  const rows: PodRow[] = status.clusters.flatMap(c =>
    c.pods.map(p => ({
      ...p,
      cluster: c.cluster,
      id: `${c.cluster}/${p.namespace}/${p.name}`,
      sidecar: podSidecar(
        p,
        status.desiredMesh,
        controlPlanes.find(s => s.cluster === c.cluster && s.mesh === p.mesh),
      ),
    })),
  );
  const SummaryStatus = summaryStatusComponent[summary.coverage];
  const mesh = status.desiredMesh ?? desiredMesh ?? '';
  const words = dialog ? actionWords[dialog.action] : undefined;
  const request = dialog && {
    action: dialog.action,
    mesh,
    cluster: dialog.cluster,
    namespace: dialog.namespace,
  };
  const busyReason = running
    ? `Wait for the running operation (${tracked?.operation.summary}) to finish.`
    : undefined;
  const trackedRequest = tracked?.operation.request;
  const trackedAction =
    trackedRequest?.action === 'onboard' ||
    trackedRequest?.action === 'offboard'
      ? trackedRequest.action
      : undefined;
  // The operation the tab follows, then the stopped ones of other namespaces (an older stop of
  // the tracked operation's namespace is settled by it).
  const shown = stopped.filter(
    op =>
      !(
        trackedRequest &&
        op.cluster === trackedRequest.cluster &&
        'namespace' in trackedRequest &&
        op.namespace === trackedRequest.namespace
      ) && op.id !== tracked?.operation.id,
  );
  const cards = (tracked ? 1 : 0) + shown.length;
  const againWords = again && runAgainWords[again.verb];
  const againPermission =
    again && runAgainPermissions[again.verb][again.operation.action];

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
          {status.onboarding && (
            <OnboardingStateLine onboarding={status.onboarding} />
          )}
          <Typography variant="body2" color="text.secondary">
            Workloads selected by {status.labelSelector}
          </Typography>
          {error && (
            <Typography variant="body2" component="div" role="status">
              <StatusWarning>
                Refreshing failed: {errorMessage(error)}
              </StatusWarning>
            </Typography>
          )}
        </InfoCard>
      </Grid>
      {views.map(view => (
        <Grid item xs={12} md={views.length > 1 ? 6 : 12} key={view.cluster}>
          <ClusterMeshPanel
            view={view}
            desiredMesh={status.desiredMesh}
            permissions={permissions}
            busyReason={busyReason}
            qualifyNames={targets > 1}
            onAction={setDialog}
          />
        </Grid>
      ))}
      {tracked && !dialog && !again && (
        <Grid item xs={12} key={runKey(tracked.operation)}>
          <NamespaceOperationCard
            title={running ? 'Operation running' : 'Last operation'}
            summary={tracked.operation.summary}
            operationId={tracked.operation.id}
            steps={tracked.operation.plan?.steps.length}
            state={trackedAction && tracked.final?.state}
            permissions={{
              resume: runAgainPermissions.resume[trackedAction ?? 'onboard'],
              revert: runAgainPermissions.revert[trackedAction ?? 'onboard'],
            }}
            qualifyNames={cards > 1}
            retryDelayMs={retryDelayMs}
            onFinished={final => onFinished(tracked.operation, final)}
            onRunAgain={verb =>
              trackedAction &&
              setAgain({
                verb,
                operation: {
                  id: tracked.operation.id,
                  action: trackedAction,
                  summary: tracked.operation.summary,
                  currentStep: tracked.final?.currentStep,
                },
              })
            }
          />
        </Grid>
      )}
      {!dialog &&
        !again &&
        shown.map(op => (
          <Grid item xs={12} key={runKey(op)}>
            <NamespaceOperationCard
              title="Last operation"
              summary={op.summary}
              operationId={op.id}
              steps={op.steps}
              state={op.state}
              permissions={{
                resume: runAgainPermissions.resume[op.action],
                revert: runAgainPermissions.revert[op.action],
              }}
              busyReason={busyReason}
              qualifyNames={cards > 1}
              retryDelayMs={retryDelayMs}
              onRunAgain={verb => setAgain({ verb, operation: op })}
            />
          </Grid>
        ))}
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
        <div data-testid="pod-table">
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
        </div>
      </Grid>
      {dialog && words && request && (
        <OperationDialog
          open
          title={`${words.verb} ${dialog.namespace} ${words.preposition} ${mesh} on ${dialog.cluster}`}
          description={words.effect(mesh, dialog.namespace, dialog.cluster)}
          preview={() => meshApi.previewOperation(request)}
          start={() => meshApi.createOperation(request)}
          disabledReason={permissions[dialog.action].reason}
          retryDelayMs={retryDelayMs}
          onClose={() => setDialog(undefined)}
          onStarted={operation => setTracked({ operation })}
          onFinished={onFinished}
        />
      )}
      {again && againWords && againPermission && (
        <RunAgainDialog
          verb={again.verb}
          operationId={again.operation.id}
          title={`${RUN_AGAIN_LABELS[again.verb]}: ${again.operation.summary}`}
          description={againWords.effect(again.operation)}
          disabledReason={
            againPermission.allowed ? undefined : againPermission.reason
          }
          retryDelayMs={retryDelayMs}
          onClose={() => setAgain(undefined)}
          onStarted={operation => setTracked({ operation })}
          onFinished={onFinished}
        />
      )}
    </Grid>
  );
}
