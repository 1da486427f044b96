import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  type EntityFindings,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  MESH_ANNOTATION,
  isMeshAvailable,
} from '@meshstage/plugin-mesh-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { Theme } from '@mui/material/styles';
import type { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { meshApiRef } from '../../api';
import { summarizeMeshStatusCard } from '../../lib/meshStatusCard';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

type Tone = 'ok' | 'warning' | 'error';

const toneColor = (tone: Tone) => (t: Theme) => {
  const status = (t.palette as { status?: Record<string, string> }).status;
  const fallback = {
    ok: t.palette.success.main,
    warning: t.palette.warning.main,
    error: t.palette.error.main,
  };
  return status?.[tone] ?? fallback[tone];
};

/** A status dot (decorative) and its text, which stays readable by assistive technology. */
function Status(props: { tone: Tone; children: ReactNode }) {
  return (
    <Box
      component="span"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75 }}
    >
      <Box
        component="span"
        aria-hidden
        sx={{
          width: '0.6em',
          height: '0.6em',
          borderRadius: '50%',
          flexShrink: 0,
          bgcolor: toneColor(props.tone),
        }}
      />
      {props.children}
    </Box>
  );
}

function Row(props: { label: string; children: ReactNode }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: 'minmax(8rem, 35%) 1fr',
        gap: 1,
        py: 0.5,
      }}
    >
      <Typography component="dt" variant="body2" color="text.secondary">
        {props.label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0 }}>
        {props.children}
      </Typography>
    </Box>
  );
}

/**
 * A compact Overview card: the mesh the entity expects, how many of its pods run a proxy, the
 * control-plane version and mTLS mode where they run, open conflicts between meshes and the
 * count of error findings, each linking to the Mesh or Validation tab.
 * @public
 */
export function EntityMeshStatusCard() {
  const { entity } = useEntity();
  const meshApi = useApi(meshApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const available = isMeshAvailable(entity);
  const base = entityRoute(entityRouteParams(entity));
  const meshLink = `${base}/mesh`;
  const validationLink = `${base}/validation`;

  const { value, loading, error } = useAsync(async () => {
    if (!available) return undefined;
    const ref = getCompoundEntityRef(entity);
    // Findings are a part of the card: when they cannot be read, the rest still shows.
    const [status, controlPlanes, findings] = await Promise.all([
      meshApi.getEntityStatus(ref),
      meshApi.getStatus(),
      meshApi.getEntityFindings(ref).then(
        (f): { value?: EntityFindings; error?: Error } => ({ value: f }),
        (e: Error): { value?: EntityFindings; error?: Error } => ({
          error: e,
        }),
      ),
    ]);
    return { status, controlPlanes, findings };
  }, [meshApi, entity, available]);

  const card = (children: ReactNode) => (
    <Box data-testid="mesh-status-card" sx={{ height: '100%' }}>
      <InfoCard title="Service mesh" variant="gridItem">
        {children}
      </InfoCard>
    </Box>
  );

  if (!available) {
    return card(
      <MissingAnnotationEmptyState
        annotation={[
          KUBERNETES_ID_ANNOTATION,
          KUBERNETES_LABEL_SELECTOR_ANNOTATION,
        ]}
      />,
    );
  }
  if (loading) return card(<Progress />);
  if (error) return card(<ResponseErrorPanel error={error} />);
  if (!value) return card(null);

  const { status, controlPlanes, findings } = value;
  const summary = summarizeMeshStatusCard(
    status,
    controlPlanes,
    findings.value,
  );
  const coverageTone: Tone = summary.coverage === 'all' ? 'ok' : 'warning';

  let validation: ReactNode;
  if (findings.error) {
    validation = (
      <Status tone="warning">
        Findings unavailable: {findings.error.message}
      </Status>
    );
  } else if (summary.neverScanned) {
    validation = (
      <Link to={validationLink}>
        <Status tone="warning">not scanned yet</Status>
      </Link>
    );
  } else {
    validation = (
      <Link to={validationLink}>
        <Status tone={summary.errorFindings ? 'error' : 'ok'}>
          {plural(summary.errorFindings ?? 0, 'error finding')}
        </Status>
      </Link>
    );
  }

  return card(
    <Box component="dl" sx={{ m: 0 }}>
      <Row label="Expected mesh">
        {summary.expectedMesh ?? (
          <Typography component="span" variant="body2" color="text.secondary">
            none ({MESH_ANNOTATION} not set)
          </Typography>
        )}
      </Row>
      <Row label="Coverage">
        <Link to={meshLink}>
          <Status tone={coverageTone}>{summary.coverageText}</Status>
        </Link>
      </Row>
      <Row label="Control plane">
        <Link to={meshLink}>
          {summary.controlPlaneVersions.length
            ? summary.controlPlaneVersions.join(', ')
            : 'not found'}
        </Link>
      </Row>
      <Row label="mTLS">
        {summary.mtlsModes.length ? summary.mtlsModes.join(', ') : 'unknown'}
      </Row>
      <Row label="Conflicts">
        <Link to={meshLink}>
          {summary.conflicts.length ? (
            <Status tone="error">
              {plural(summary.conflicts.length, 'open conflict')}
            </Status>
          ) : (
            <Status tone="ok">none</Status>
          )}
        </Link>
      </Row>
      <Row label="Validation">{validation}</Row>
    </Box>,
  );
}
