import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type {
  ClusterMeshView,
  NamespaceMeshView,
} from '../../lib/meshCoverage';
import type { MeshPermissionState } from '../../hooks/useMeshPermission';

/** An onboarding action the tab can open. */
export interface NamespaceAction {
  action: 'onboard' | 'offboard';
  cluster: string;
  namespace: string;
}

/** Props of {@link ClusterMeshPanel}. */
export interface ClusterMeshPanelProps {
  view: ClusterMeshView;
  desiredMesh?: string;
  permissions: Record<NamespaceAction['action'], MeshPermissionState>;
  /** Set while an operation started from the tab runs: actions wait for it. */
  busyReason?: string;
  /** Accessible names carry namespace and cluster when the tab offers several targets. */
  qualifyNames: boolean;
  onAction: (action: NamespaceAction) => void;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function NamespaceRow(props: {
  ns: NamespaceMeshView;
  cluster: string;
  mesh: string;
  installed: boolean;
  meshWideMtls?: string;
  permissions: ClusterMeshPanelProps['permissions'];
  busyReason?: string;
  qualifyNames: boolean;
  onAction: ClusterMeshPanelProps['onAction'];
}) {
  const { ns, cluster, mesh, installed, permissions, busyReason } = props;
  const mtls = ns.mtlsMode ?? props.meshWideMtls;
  const reasonId = `mesh-actions-${cluster}-${ns.name}-reason`.replace(
    /[^\w-]/g,
    '-',
  );
  const reasons = [
    busyReason,
    permissions.onboard.reason,
    permissions.offboard.reason,
  ].filter((r, i, all): r is string => Boolean(r) && all.indexOf(r) === i);

  const button = (action: NamespaceAction['action']) => {
    const verb = action === 'onboard' ? 'Onboard' : 'Offboard';
    const permission = permissions[action];
    const disabled = Boolean(busyReason) || !permission.allowed;
    const primary =
      action === 'onboard' ? !ns.injectionEnabled : ns.injectionEnabled;
    return (
      <Button
        key={action}
        size="small"
        variant={primary ? 'contained' : 'outlined'}
        disabled={disabled}
        aria-label={
          props.qualifyNames ? `${verb} ${ns.name} on ${cluster}` : undefined
        }
        aria-describedby={disabled && reasons.length ? reasonId : undefined}
        onClick={() => props.onAction({ action, cluster, namespace: ns.name })}
      >
        {verb}
      </Button>
    );
  };

  return (
    <Box
      component="li"
      sx={{
        py: 1,
        borderTop: 1,
        borderColor: 'divider',
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: 2,
      }}
    >
      <Box sx={{ flex: '1 1 16rem' }}>
        <Typography variant="body1" component="div">
          Namespace <strong>{ns.name}</strong>
        </Typography>
        <Typography variant="body2" component="div">
          {ns.injectionEnabled ? (
            <StatusOK>
              {mesh} injection enabled
              {ns.revision ? ` (revision ${ns.revision})` : ''}
            </StatusOK>
          ) : (
            <StatusWarning>{mesh} injection disabled</StatusWarning>
          )}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {ns.meshedPods} of {plural(ns.pods, 'pod')} meshed
          {mtls ? ` · mTLS ${mtls}${ns.mtlsMode ? ' (namespace)' : ''}` : ''}
        </Typography>
      </Box>
      {installed && (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
          <Box sx={{ display: 'flex', gap: 1 }}>
            {button('onboard')}
            {button('offboard')}
          </Box>
          {reasons.length > 0 && (
            <Typography
              id={reasonId}
              variant="caption"
              color="text.secondary"
              sx={{ maxWidth: '28rem' }}
            >
              {reasons.join(' ')}
            </Typography>
          )}
        </Box>
      )}
    </Box>
  );
}

/**
 * One cluster of the entity: the expected mesh there (installed, versions, revisions, mTLS), the
 * meshes serving its pods, sidecar coverage, and per namespace the injection state with Onboard
 * and Offboard, or why they are not offered.
 */
export function ClusterMeshPanel(props: ClusterMeshPanelProps) {
  const { view, desiredMesh } = props;
  const expected = view.expected;
  const s = view.sidecars;

  return (
    <InfoCard title={`Cluster ${view.cluster}`}>
      {view.error && (
        <Typography variant="body2" component="div">
          <StatusError>{view.error}</StatusError>
        </Typography>
      )}
      {!desiredMesh && (
        <Typography variant="body2">
          No expected mesh: add the <code>meshstage.io/mesh</code> annotation to
          onboard this entity’s namespace.
        </Typography>
      )}
      {desiredMesh && expected?.error && (
        <Typography variant="body2" component="div">
          <StatusError>
            {desiredMesh} status could not be read: {expected.error}
          </StatusError>
        </Typography>
      )}
      {desiredMesh && !expected?.error && !view.expectedInstalled && (
        <Typography variant="body2" component="div" role="note">
          <StatusWarning>
            {desiredMesh} is not installed on {view.cluster}.
          </StatusWarning>{' '}
          A platform engineer installs the mesh on the cluster; its namespaces
          can then be onboarded here.
        </Typography>
      )}
      {desiredMesh && view.expectedInstalled && expected && (
        <Typography variant="body2" component="div">
          <StatusOK>
            {desiredMesh} {expected.versions.join(', ') || '(version unknown)'}{' '}
            installed
          </StatusOK>
          {[
            expected.revisions.length > 0 &&
              `revisions ${expected.revisions.join(', ')}`,
            expected.mtls && `mTLS ${expected.mtls.mode}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      )}
      <Typography variant="body2" component="div" sx={{ mt: 1 }}>
        Serving the workloads:{' '}
        {view.serving.length
          ? view.serving
              .map(
                m =>
                  `${m.mesh}${
                    m.versions.length ? ` ${m.versions.join(', ')}` : ''
                  } (${plural(m.pods, 'pod')})`,
              )
              .join('; ')
          : 'no mesh proxy'}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        Sidecars: {s.meshed} meshed, {s['not-meshed']} not meshed, {s.outdated}{' '}
        outdated, {s['wrong-mesh']} wrong mesh (of {plural(view.pods, 'pod')})
      </Typography>
      {desiredMesh && view.namespaces.length === 0 && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          No pods found here: set <code>backstage.io/kubernetes-namespace</code>{' '}
          to onboard a namespace before its workloads run.
        </Typography>
      )}
      {desiredMesh && view.namespaces.length > 0 && (
        <Box component="ul" sx={{ listStyle: 'none', p: 0, mt: 1, mb: 0 }}>
          {view.namespaces.map(ns => (
            <NamespaceRow
              key={ns.name}
              ns={ns}
              cluster={view.cluster}
              mesh={desiredMesh}
              installed={view.expectedInstalled}
              meshWideMtls={expected?.mtls?.mode}
              permissions={props.permissions}
              busyReason={props.busyReason}
              qualifyNames={props.qualifyNames}
              onAction={props.onAction}
            />
          ))}
        </Box>
      )}
    </InfoCard>
  );
}
