import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MESH_ANNOTATION,
  MESH_CLUSTER_ANNOTATION,
  MESH_PERFORMANCE_PROFILE_ANNOTATION,
  isFinalRunState,
  type BenchmarkProfile,
  type BenchmarkProfileInput,
  type BenchmarkRunView,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import {
  compareSelection,
  runTargetLabel,
  shortRunId,
  trendSeries,
} from '../../lib/benchmarkRuns';
import { formatMs } from '../../lib/benchmarkResults';
import { GuardedButton } from '../shared/GuardedButton';
import { ProfileDialog } from './ProfileDialog';
import { RunProgressPanel } from './RunProgressPanel';
import { RunResultPanel } from './RunResultPanel';
import { ComparePanel } from './ComparePanel';
import { SeriesChart } from './charts';
import { SimpleTable } from './SimpleTable';
import { backendMessage } from './errors';
import { usePerformancePermissions } from './usePerformancePermissions';

/** What a profile's load is, in words. */
function describeLoad(p: BenchmarkProfile): string {
  const rate = p.rate > 0 ? `${p.rate} req/s` : 'max rate';
  const length = p.requestCount
    ? `${p.requestCount} requests`
    : p.duration ?? '10s';
  const warmup = p.warmup ? ` after ${p.warmup} warmup` : '';
  return `${p.connections} connections, ${rate}, ${length}${warmup}`;
}

function describeWhere(p: BenchmarkProfile): string {
  return p.inCluster
    ? `in-cluster: ${p.inCluster.cluster}/${p.inCluster.namespace}, ${
        p.inCluster.pods
      } pod${p.inCluster.pods === 1 ? '' : 's'}`
    : 'from the backend';
}

/**
 * The entity's Performance tab: its performance profiles (and global ones), runs with live
 * progress, results (percentiles, the HdrHistogram latency distribution, status codes, errors,
 * exports), comparisons with the backend's noise verdict, and the p99/throughput trend.
 * @public
 */
export function EntityPerformanceContent() {
  const { entity } = useEntity();
  const meshApi = useApi(meshApiRef);
  const alertApi = useApi(alertApiRef);
  const entityRef = stringifyEntityRef(entity);
  const permissions = usePerformancePermissions(entityRef);
  const annotations = entity.metadata.annotations ?? {};
  const defaultProfile = annotations[MESH_PERFORMANCE_PROFILE_ANNOTATION];

  const [mesh, setMesh] = useState(annotations[MESH_ANNOTATION] ?? '');
  const [meshVersion, setMeshVersion] = useState('');
  const [editing, setEditing] = useState<
    BenchmarkProfile | 'new' | undefined
  >();
  const [liveRunId, setLiveRunId] = useState<string>();
  // The run shown in the progress panel has ended: the panel stays until closed, but Run is
  // available again.
  const [liveRunEnded, setLiveRunEnded] = useState(false);
  const [resultRunId, setResultRunId] = useState<string>();
  const [selected, setSelected] = useState<string[]>([]);
  const [comparing, setComparing] = useState<string[]>();
  const [actionError, setActionError] = useState<string>();

  const data = useAsyncRetry(async () => {
    const all = await meshApi.listBenchmarkProfiles();
    const profiles = all.filter(
      p =>
        !p.entityRef ||
        p.entityRef === entityRef ||
        p.id === defaultProfile ||
        p.name === defaultProfile,
    );
    const runLists = await Promise.all(
      profiles.map(p =>
        meshApi.listBenchmarkRuns({ profileId: p.id, limit: 50 }),
      ),
    );
    const runs = runLists
      .flat()
      .sort(
        (a, b) =>
          b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
      );
    return { profiles, runs };
  }, [meshApi, entityRef, defaultProfile]);
  const { retry } = data;

  const save = async (input: BenchmarkProfileInput) => {
    if (editing && editing !== 'new') {
      await meshApi.updateBenchmarkProfile(editing.id, input);
    } else {
      await meshApi.createBenchmarkProfile(input);
    }
    setEditing(undefined);
    retry();
  };

  const startRun = async (profile: BenchmarkProfile) => {
    setActionError(undefined);
    try {
      const run = await meshApi.startBenchmarkRun({
        profileId: profile.id,
        ...(mesh.trim() ? { mesh: mesh.trim() } : {}),
        ...(mesh.trim() && meshVersion.trim()
          ? { meshVersion: meshVersion.trim() }
          : {}),
        ...(annotations[MESH_CLUSTER_ANNOTATION]
          ? { cluster: annotations[MESH_CLUSTER_ANNOTATION] }
          : {}),
      });
      setResultRunId(undefined);
      setLiveRunEnded(false);
      setLiveRunId(run.id);
      retry();
    } catch (e) {
      setActionError(backendMessage(e));
    }
  };

  const cancelRun = async (runId: string) => {
    try {
      await meshApi.cancelBenchmarkRun(runId);
    } catch (e) {
      setActionError(backendMessage(e));
    }
  };

  const deleteProfile = async (profile: BenchmarkProfile) => {
    try {
      await meshApi.deleteBenchmarkProfile(profile.id);
      alertApi.post({
        message: `Deleted profile ${profile.name}`,
        severity: 'info',
        display: 'transient',
      });
      retry();
    } catch (e) {
      setActionError(backendMessage(e));
    }
  };

  const onFinished = useCallback(
    (run: { id: string; state: string }) => {
      setLiveRunEnded(true);
      retry();
      if (run.state === 'succeeded') setResultRunId(run.id);
    },
    [retry],
  );

  if (data.loading && !data.value) return <Progress />;
  if (data.error)
    return <ResponseErrorPanel error={data.error} title="Performance" />;
  const { profiles, runs } = data.value ?? { profiles: [], runs: [] };
  const unfinished = runs.find(r => !isFinalRunState(r.state))?.id;
  const active = liveRunId ?? unfinished;
  const runInProgress =
    (liveRunId !== undefined && !liveRunEnded) ||
    runs.some(r => !isFinalRunState(r.state) && r.id !== liveRunId);
  const selection = compareSelection(runs, selected);
  const toggle = (id: string) =>
    setSelected(s => (s.includes(id) ? s.filter(x => x !== id) : [...s, id]));

  const newProfileButton = (
    <GuardedButton
      variant="contained"
      permission={permissions.writeProfile}
      onClick={() => setEditing('new')}
    >
      New profile
    </GuardedButton>
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Performance profiles">
          {actionError && (
            <Alert
              severity="error"
              sx={{ mb: 2 }}
              onClose={() => setActionError(undefined)}
            >
              {actionError}
            </Alert>
          )}
          <Box
            sx={{
              display: 'flex',
              gap: 2,
              flexWrap: 'wrap',
              alignItems: 'center',
              mb: 2,
            }}
          >
            <TextField
              size="small"
              label="Mesh under test"
              value={mesh}
              onChange={e => setMesh(e.target.value)}
              helperText="Empty for a no-mesh baseline"
            />
            <TextField
              size="small"
              label="Mesh version"
              value={meshVersion}
              onChange={e => setMeshVersion(e.target.value)}
              disabled={!mesh.trim()}
              helperText="Optional, e.g. 1.24.2"
            />
            {newProfileButton}
            {!permissions.writeProfile.allowed &&
              !permissions.writeProfile.loading && (
                <Typography variant="body2" color="text.secondary">
                  {permissions.writeProfile.reason}
                </Typography>
              )}
            {!permissions.run.allowed && !permissions.run.loading && (
              <Typography variant="body2" color="text.secondary">
                {permissions.run.reason}
              </Typography>
            )}
          </Box>
          {profiles.length === 0 ? (
            <EmptyState
              missing="data"
              title="No performance profile yet"
              description={`Create a profile to benchmark ${entity.metadata.name}: the endpoints to load, connections, rate or max, duration, warmup and where the load generator runs. A profile can be tied to this entity or global, and the ${MESH_PERFORMANCE_PROFILE_ANNOTATION} annotation can name the one that benchmarks it by default.`}
              action={newProfileButton}
            />
          ) : (
            <Table size="small" aria-label="Performance profiles">
              <TableHead>
                <TableRow>
                  <TableCell component="th">Profile</TableCell>
                  <TableCell component="th">Endpoints</TableCell>
                  <TableCell component="th">Load</TableCell>
                  <TableCell component="th">Where</TableCell>
                  <TableCell component="th">Actions</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {profiles.map(p => (
                  <TableRow key={p.id}>
                    <TableCell>
                      <Typography variant="body2" fontWeight="bold">
                        {p.name}
                      </Typography>
                      <Typography variant="caption" color="text.secondary">
                        {p.entityRef ? 'this entity' : 'global'}
                        {defaultProfile &&
                        (p.id === defaultProfile || p.name === defaultProfile)
                          ? ' · default (annotation)'
                          : ''}
                        {p.schedule ? ` · scheduled ${p.schedule}` : ''}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      {p.endpoints
                        .map(e => `${e.method ?? 'GET'} ${e.url}`)
                        .join(', ')}
                    </TableCell>
                    <TableCell>
                      {describeLoad(p)} ({p.protocol}, {p.engine})
                    </TableCell>
                    <TableCell>{describeWhere(p)}</TableCell>
                    <TableCell>
                      <Box sx={{ display: 'flex', gap: 1 }}>
                        <GuardedButton
                          variant="contained"
                          size="small"
                          permission={permissions.run}
                          disabledReason={
                            runInProgress ? 'A run is in progress' : undefined
                          }
                          onClick={() => startRun(p)}
                          aria-label={`Run ${p.name}`}
                        >
                          Run
                        </GuardedButton>
                        <GuardedButton
                          size="small"
                          permission={permissions.writeProfile}
                          onClick={() => setEditing(p)}
                          aria-label={`Edit profile ${p.name}`}
                        >
                          Edit
                        </GuardedButton>
                        <GuardedButton
                          size="small"
                          color="error"
                          permission={permissions.writeProfile}
                          onClick={() => deleteProfile(p)}
                          aria-label={`Delete profile ${p.name}`}
                        >
                          Delete
                        </GuardedButton>
                      </Box>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>

      {active && (
        <Grid item xs={12}>
          <RunProgressPanel
            key={active}
            runId={active}
            permission={permissions.run}
            onCancel={cancelRun}
            onFinished={onFinished}
            onClose={() => setLiveRunId(undefined)}
          />
        </Grid>
      )}

      {resultRunId && (
        <Grid item xs={12}>
          <RunResultPanel
            runId={resultRunId}
            onClose={() => setResultRunId(undefined)}
          />
        </Grid>
      )}

      {profiles.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Runs">
            {runs.length === 0 ? (
              <Typography>
                No runs yet: press Run on a profile above.
              </Typography>
            ) : (
              <>
                <Box
                  sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 1 }}
                >
                  <GuardedButton
                    variant="contained"
                    disabledReason={selection.ok ? undefined : selection.reason}
                    onClick={() => setComparing(selected)}
                  >
                    Compare
                  </GuardedButton>
                  <Typography variant="body2" color="text.secondary">
                    {selection.ok
                      ? `${selected.length} runs selected; the first selected is the baseline.`
                      : selection.reason}
                  </Typography>
                </Box>
                <RunsTable
                  runs={runs}
                  selected={selected}
                  onToggle={toggle}
                  onView={setResultRunId}
                />
              </>
            )}
          </InfoCard>
        </Grid>
      )}

      {comparing && (
        <Grid item xs={12}>
          <ComparePanel
            runIds={comparing}
            onClose={() => setComparing(undefined)}
          />
        </Grid>
      )}

      {profiles.map(p => {
        const trend = trendSeries(runs, p.id);
        if (trend.length < 2) return null;
        return (
          <Grid item xs={12} md={6} key={`trend-${p.id}`}>
            <InfoCard title={`Trend: ${p.name}`}>
              <SeriesChart
                label={`p99 latency and throughput of ${p.name} over its runs`}
                data={trend}
                xKey="label"
                leftLabel="p99 ms"
                rightLabel="req/s"
                lines={[
                  { key: 'p99', name: 'p99 (ms)' },
                  {
                    key: 'throughput',
                    name: 'throughput (req/s)',
                    yAxis: 'right',
                  },
                ]}
              />
              <SimpleTable
                caption={`Trend of ${p.name}`}
                headers={['Run', 'Mesh', 'p99', 'Throughput']}
                rows={trend.map(t => ({
                  key: t.runId,
                  cells: [
                    t.label,
                    t.mesh,
                    formatMs(t.p99),
                    `${t.throughput} req/s`,
                  ],
                }))}
              />
            </InfoCard>
          </Grid>
        );
      })}

      {editing && (
        <ProfileDialog
          open
          profile={editing === 'new' ? undefined : editing}
          entityRef={entityRef}
          onClose={() => setEditing(undefined)}
          onSave={save}
        />
      )}
    </Grid>
  );
}

function RunsTable(props: {
  runs: BenchmarkRunView[];
  selected: string[];
  onToggle: (id: string) => void;
  onView: (id: string) => void;
}) {
  return (
    <Table size="small" aria-label="Benchmark runs">
      <TableHead>
        <TableRow>
          <TableCell component="th" sx={{ whiteSpace: 'nowrap' }}>
            Compare
          </TableCell>
          <TableCell component="th">Run</TableCell>
          <TableCell component="th">Profile</TableCell>
          <TableCell component="th">Mesh</TableCell>
          <TableCell component="th">State</TableCell>
          <TableCell component="th">Throughput</TableCell>
          <TableCell component="th">p50</TableCell>
          <TableCell component="th">p99</TableCell>
          <TableCell component="th">Errors</TableCell>
          <TableCell component="th">Result</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.runs.map(r => (
          <TableRow key={r.id} selected={props.selected.includes(r.id)}>
            <TableCell padding="checkbox">
              <Checkbox
                checked={props.selected.includes(r.id)}
                disabled={!r.result}
                onChange={() => props.onToggle(r.id)}
                inputProps={{
                  'aria-label': `Select run ${shortRunId(r.id)} for comparison`,
                }}
              />
            </TableCell>
            <TableCell>
              <span title={r.id}>{shortRunId(r.id)}</span>
              <Typography
                variant="caption"
                display="block"
                color="text.secondary"
              >
                {r.createdAt.replace('T', ' ').slice(0, 19)}
                {r.trigger === 'schedule' ? ' · scheduled' : ''}
              </Typography>
            </TableCell>
            <TableCell>{r.profile.name}</TableCell>
            <TableCell>{runTargetLabel(r)}</TableCell>
            <TableCell>
              {r.state}
              {r.error && (
                <Typography variant="caption" display="block" color="error">
                  {r.error}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              {r.result ? `${r.result.actualRps} req/s` : '-'}
            </TableCell>
            <TableCell>
              {r.result ? formatMs(r.result.latencyMs.p50) : '-'}
            </TableCell>
            <TableCell>
              {r.result ? formatMs(r.result.latencyMs.p99) : '-'}
            </TableCell>
            <TableCell>{r.result ? r.result.requests.failed : '-'}</TableCell>
            <TableCell>
              {r.result && (
                <Button
                  size="small"
                  onClick={() => props.onView(r.id)}
                  aria-label={`View result of run ${shortRunId(r.id)}`}
                >
                  View
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
