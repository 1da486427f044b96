import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { BenchmarkComparison } from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import {
  formatDifference,
  formatMetricValue,
  verdictLabel,
  verdictTone,
} from '../../lib/benchmarkCompare';
import { runTargetLabel, shortRunId } from '../../lib/benchmarkRuns';
import {
  comparisonRows,
  defaultComparisonSelection,
} from '../../lib/meshComparison';
import { errorMessage } from '../../lib/operationErrors';

const UNITS = {
  p50: 'ms',
  p99: 'ms',
  throughput: 'req/s',
  errorRate: 'ratio',
} as const;

/** Run ids are kept whole (the table's cells otherwise break words anywhere). */
const noWrap = { whiteSpace: 'nowrap', wordBreak: 'normal' } as const;

/** The comparison table itself. Test id `comparison-table`. */
export function ComparisonTable({
  comparison,
}: {
  comparison: BenchmarkComparison;
}) {
  const rows = comparisonRows(comparison);
  const toneColor = {
    ok: 'success.main',
    error: 'error.main',
    neutral: 'text.secondary',
  };
  return (
    <Table
      size="small"
      data-testid="comparison-table"
      aria-label="Mesh comparison"
    >
      <TableHead>
        <TableRow>
          <TableCell>Mesh</TableCell>
          <TableCell sx={noWrap}>Run</TableCell>
          <TableCell>p50</TableCell>
          <TableCell>p99</TableCell>
          <TableCell>Throughput</TableCell>
          <TableCell>Error rate</TableCell>
          <TableCell>Overhead vs baseline (p50 / p99)</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.runId} data-testid={`comparison-row-${row.runId}`}>
            <TableCell>
              {row.label}
              {row.baseline ? ' (baseline)' : ''}
            </TableCell>
            <TableCell sx={noWrap}>{shortRunId(row.runId)}</TableCell>
            {(['p50', 'p99', 'throughput', 'errorRate'] as const).map(m => {
              const v = row.values[m];
              return (
                <TableCell key={m}>
                  {v ? formatMetricValue(v.value, UNITS[m]) : '—'}
                  {v?.difference && (
                    <Typography
                      variant="caption"
                      component="div"
                      color={toneColor[verdictTone(v.difference.verdict)]}
                      title={v.difference.reason}
                    >
                      {formatDifference(v.difference, UNITS[m])} ·{' '}
                      {verdictLabel(v.difference.verdict)}
                    </Typography>
                  )}
                </TableCell>
              );
            })}
            <TableCell>
              {row.baseline
                ? '—'
                : (['p50', 'p99'] as const)
                    .map(m => {
                      const d = row.values[m]?.difference;
                      return d
                        ? `${m} ${formatDifference(d, 'ms')} (${verdictLabel(
                            d.verdict,
                          )})`
                        : `${m} —`;
                    })
                    .join(' / ')}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The mesh comparison: pick a profile and its stored runs (a no-mesh baseline and one run per
 * mesh and version by default), then the backend's comparison with noise verdicts and caveats.
 */
export function ComparisonPanel() {
  const meshApi = useApi(meshApiRef);
  const profiles = useAsync(() => meshApi.listBenchmarkProfiles(), [meshApi]);
  const [profileId, setProfileId] = useState('');
  const runs = useAsync(
    async () =>
      profileId
        ? meshApi.listBenchmarkRuns({
            profileId,
            state: 'succeeded',
            limit: 100,
          })
        : [],
    [meshApi, profileId],
  );
  const [baseline, setBaseline] = useState<string | undefined>();
  const [others, setOthers] = useState<string[]>([]);
  const [comparison, setComparison] = useState<
    BenchmarkComparison | undefined
  >();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!profileId && profiles.value?.length)
      setProfileId(profiles.value[0].id);
  }, [profiles.value, profileId]);
  useEffect(() => {
    const selection = defaultComparisonSelection(runs.value ?? []);
    setBaseline(selection.baseline);
    setOthers(selection.others);
    setComparison(undefined);
  }, [runs.value]);

  const compare = async () => {
    if (!baseline) return;
    setBusy(true);
    setError(undefined);
    try {
      setComparison(
        await meshApi.compareBenchmarkRuns([
          baseline,
          ...others.filter(id => id !== baseline),
        ]),
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  // One click from the page: compare as soon as a default selection exists.
  useEffect(() => {
    if (baseline && others.length && !comparison && !busy && !error) compare();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [baseline, others]);

  if (profiles.loading) return <Progress />;
  if (profiles.error)
    return <ResponseErrorPanel error={profiles.error} title="Profiles" />;
  if (!profiles.value?.length) {
    return (
      <Typography variant="body2" color="text.secondary">
        No performance profiles yet. Create one on an entity’s Performance tab
        and run it with and without a mesh.
      </Typography>
    );
  }
  const list = runs.value ?? [];
  return (
    <Stack spacing={2}>
      <TextField
        select
        size="small"
        label="Profile"
        value={profileId}
        onChange={e => setProfileId(e.target.value)}
        sx={{ maxWidth: 360 }}
      >
        {profiles.value.map(p => (
          <MenuItem key={p.id} value={p.id}>
            {p.name}
          </MenuItem>
        ))}
      </TextField>
      {runs.loading && <Progress />}
      {runs.error && <ResponseErrorPanel error={runs.error} title="Runs" />}
      {!runs.loading && list.length < 2 && (
        <Typography variant="body2" color="text.secondary">
          This profile needs at least two succeeded runs to compare.
        </Typography>
      )}
      {list.length >= 2 && (
        <Paper variant="outlined" sx={{ p: 1 }}>
          <Typography variant="subtitle2" component="h3" id="runs-heading">
            Runs (the baseline is the radio button; check the runs to compare
            with it)
          </Typography>
          <FormGroup aria-labelledby="runs-heading">
            {list.map(run => (
              <Box key={run.id} sx={{ display: 'flex', alignItems: 'center' }}>
                <Radio
                  size="small"
                  checked={baseline === run.id}
                  onChange={() => setBaseline(run.id)}
                  inputProps={{
                    'aria-label': `Baseline: ${runTargetLabel(
                      run,
                    )} ${shortRunId(run.id)}`,
                  }}
                />
                <FormControlLabel
                  control={
                    <Checkbox
                      size="small"
                      checked={others.includes(run.id)}
                      disabled={baseline === run.id}
                      onChange={e =>
                        setOthers(o =>
                          e.target.checked
                            ? [...o, run.id]
                            : o.filter(id => id !== run.id),
                        )
                      }
                    />
                  }
                  label={`${runTargetLabel(run)} · ${shortRunId(run.id)} · ${
                    run.finishedAt
                      ? new Date(run.finishedAt).toLocaleString()
                      : ''
                  }`}
                />
              </Box>
            ))}
          </FormGroup>
          <Button
            variant="contained"
            size="small"
            disabled={!baseline || others.length === 0 || busy}
            onClick={compare}
          >
            {busy ? 'Comparing…' : 'Compare'}
          </Button>
        </Paper>
      )}
      {error && <Alert severity="error">{error}</Alert>}
      {comparison && (
        <>
          {(comparison.caveats ?? []).map((c, i) => (
            <Alert key={i} severity="warning" data-testid="comparison-caveat">
              {c}
            </Alert>
          ))}
          <Paper variant="outlined">
            <ComparisonTable comparison={comparison} />
          </Paper>
        </>
      )}
    </Stack>
  );
}
