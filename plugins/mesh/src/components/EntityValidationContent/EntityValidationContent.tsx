import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  isMeshAvailable,
  type ScanSummary,
} from '@meshstage/plugin-mesh-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { meshApiRef } from '../../api';
import {
  findingRows,
  fixedRows,
  groupFindings,
  scanTargets,
  validationOverview,
} from '../../lib/validationFindings';
import { FindingGroups, FixedFindings } from './FindingsList';
import { ScanNowButton } from './ScanNowButton';
import { SkippedChecks } from './SkippedChecks';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function ScanTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;
}

/** What "Scan now" reports per cluster: a failed request, or a scan that could not read it. */
interface ScanOutcome {
  cluster: string;
  scan?: ScanSummary;
  error?: string;
}

/**
 * The entity's Validation tab: the findings of the latest stored scans about the entity's
 * workloads and the mesh resources that select or route to them, grouped by severity and code
 * with what each code means and how to fix it; new and fixed since the previous scan; what a scan
 * could not check (kinds the cluster refused to list); suppressed findings on request; and
 * "Scan now" for the entity's clusters.
 * @public
 */
export function EntityValidationContent() {
  const { entity } = useEntity();
  const meshApi = useApi(meshApiRef);
  const available = isMeshAvailable(entity);
  const [includeSuppressed, setIncludeSuppressed] = useState(false);

  const findings = useAsyncRetry(async () => {
    if (!available) return undefined;
    return meshApi.getEntityFindings(getCompoundEntityRef(entity));
  }, [meshApi, entity, available]);

  const data = findings.value;
  const targets = useMemo(() => (data ? scanTargets(data) : []), [data]);

  const [scanState, scan] = useAsyncFn(async (): Promise<ScanOutcome[]> => {
    const results = await Promise.allSettled(
      targets.map(cluster => meshApi.scanCluster(cluster)),
    );
    findings.retry();
    return results.map((r, i) =>
      r.status === 'fulfilled'
        ? { cluster: targets[i], scan: r.value }
        : { cluster: targets[i], error: (r.reason as Error).message },
    );
  }, [targets, meshApi, findings.retry]);

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
  // A refresh keeps the findings on screen; only the first load shows progress.
  if (findings.loading && !data) return <Progress />;
  if (findings.error) return <ResponseErrorPanel error={findings.error} />;
  if (!data) return null;

  const overview = validationOverview(data);
  const rows = findingRows(data);
  const groups = groupFindings(rows, data.codes, { includeSuppressed });
  const fixed = fixedRows(data);
  const scanning = scanState.loading;
  const button = (
    <ScanNowButton clusters={targets} scanning={scanning} onScan={scan} />
  );
  const problems = (scanState.value ?? []).filter(
    o => o.error || o.scan?.status === 'failed',
  );
  const { counts } = overview;
  // "All clear" would overstate a scan that skipped checks (SkippedChecks says which).
  const skippedSome = data.clusters.some(c => c.skipped?.length);

  let body: JSX.Element;
  if (overview.state === 'no-scan') {
    body = (
      <EmptyState
        missing="data"
        title="No validation scan yet"
        description={`No cluster of this entity (${data.clusters
          .map(c => c.cluster)
          .join(
            ', ',
          )}) has a finished scan, so its configuration has not been checked. Scans run on a schedule; start one now to see the findings.`}
        action={button}
      />
    );
  } else {
    body = (
      <>
        <SkippedChecks data={data} />
        {overview.state === 'all-clear' && (
          <Alert severity="success" sx={{ mb: 3 }}>
            {skippedSome
              ? "No open findings for this entity's resources from the checks the latest scan could make"
              : "All clear: no open findings for this entity's resources in the latest scan"}
            {overview.lastScanAt ? (
              <>
                {' '}
                (finished <ScanTime iso={overview.lastScanAt} />)
              </>
            ) : null}
            .
            {counts.suppressed > 0 &&
              ` ${plural(counts.suppressed, 'suppressed finding')} ${
                includeSuppressed ? 'shown below' : 'hidden'
              }.`}
          </Alert>
        )}
        <FindingGroups groups={groups} />
        <FixedFindings rows={fixed} />
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Validation">
          <Box
            sx={{
              display: 'flex',
              flexWrap: 'wrap',
              gap: 1,
              alignItems: 'center',
              mb: 1,
            }}
          >
            {overview.state !== 'no-scan' && (
              <>
                <Chip
                  size="small"
                  color={counts.error ? 'error' : 'default'}
                  label={plural(counts.error, 'error')}
                />
                <Chip
                  size="small"
                  color={counts.warning ? 'warning' : 'default'}
                  label={plural(counts.warning, 'warning')}
                />
                <Chip size="small" label={`${counts.info} info`} />
                <Chip
                  size="small"
                  variant="outlined"
                  color={counts.new ? 'primary' : 'default'}
                  label={`${counts.new} new`}
                />
                <Chip
                  size="small"
                  variant="outlined"
                  color={counts.fixed ? 'success' : 'default'}
                  label={`${counts.fixed} fixed`}
                />
                <Chip
                  size="small"
                  variant="outlined"
                  label={`${counts.suppressed} suppressed`}
                />
              </>
            )}
          </Box>
          {overview.lastScanAt && (
            <Typography variant="body2" color="text.secondary">
              Latest scan of {overview.scannedClusters.join(', ')} finished{' '}
              <ScanTime iso={overview.lastScanAt} />.
            </Typography>
          )}
          {overview.state !== 'no-scan' &&
            overview.unscannedClusters.length > 0 && (
              <Typography variant="body2" color="text.secondary">
                Not scanned yet: {overview.unscannedClusters.join(', ')}.
              </Typography>
            )}
          {overview.clusterErrors.map(e => (
            <Alert key={e.cluster} severity="warning" sx={{ mt: 1 }}>
              {e.cluster}: {e.error}
            </Alert>
          ))}
          {problems.map(p => (
            <Alert key={p.cluster} severity="error" sx={{ mt: 1 }}>
              Scan of {p.cluster} failed: {p.error ?? p.scan?.error}
            </Alert>
          ))}
          <Box
            sx={{
              display: 'flex',
              flexWrap: 'wrap',
              gap: 2,
              alignItems: 'center',
              justifyContent: 'space-between',
              mt: 2,
            }}
          >
            {overview.state !== 'no-scan' && button}
            {overview.state !== 'no-scan' && (
              <FormControlLabel
                control={
                  <Switch
                    checked={includeSuppressed}
                    onChange={e => setIncludeSuppressed(e.target.checked)}
                  />
                }
                label={`Show suppressed findings (${counts.suppressed})`}
              />
            )}
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Box
          component="section"
          aria-label="Findings"
          data-testid="validation-findings"
        >
          {body}
        </Box>
      </Grid>
    </Grid>
  );
}
