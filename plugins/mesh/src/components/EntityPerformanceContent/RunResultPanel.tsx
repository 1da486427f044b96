import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { BenchmarkExportFormat } from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import {
  errorRows,
  formatMs,
  hdrPlot,
  percentileRows,
  statusCodeRows,
} from '../../lib/benchmarkResults';
import { runTargetLabel } from '../../lib/benchmarkRuns';
import { LatencyDistributionChart } from './charts';
import { SimpleTable } from './SimpleTable';
import { backendMessage } from './errors';
import { EnvironmentNote } from './EnvironmentNote';

/** Saves a text as a file through a temporary link (no-op where the DOM cannot). */
function download(filename: string, blob: Blob) {
  if (typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** A finished run: percentiles, the latency distribution, status codes, errors and exports. */
export function RunResultPanel(props: { runId: string; onClose: () => void }) {
  const meshApi = useApi(meshApiRef);
  const { runId } = props;
  const [exportError, setExportError] = useState<string>();
  const [exported, setExported] = useState<string>();
  const { value, loading, error } = useAsync(
    () => meshApi.getBenchmarkResult(runId),
    [meshApi, runId],
  );

  const exportAs = async (format: BenchmarkExportFormat) => {
    setExportError(undefined);
    try {
      const file = await meshApi.exportBenchmarkResult(runId, format);
      download(file.filename, file.blob);
      setExported(file.filename);
    } catch (e) {
      setExportError(backendMessage(e));
    }
  };

  if (loading) return <Progress />;
  if (error)
    return (
      <ResponseErrorPanel error={error} title={`Result of run ${runId}`} />
    );
  if (!value) return null;
  const { run, result, environment, thresholds } = value;
  const plot = hdrPlot([{ key: 'latency', data: result.histogram.data }]);
  const codes = statusCodeRows(result.statusCodes, result.requests.total);
  const errors = errorRows(result.errors);

  return (
    <InfoCard
      title={`Result of run ${runId}`}
      subheader={`${run.profile.name} · ${runTargetLabel(run)} · ${
        result.startTime
      }`}
    >
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 1 }}>
        <Button variant="outlined" onClick={() => exportAs('smp')}>
          Export SMP
        </Button>
        <Button variant="outlined" onClick={() => exportAs('fortio')}>
          Export fortio
        </Button>
        <Button variant="outlined" onClick={() => exportAs('json')}>
          Export JSON
        </Button>
        <Button onClick={props.onClose}>Close result</Button>
      </Box>
      {exportError && <Alert severity="error">{exportError}</Alert>}
      {exported && (
        <Typography variant="body2" role="status">
          Downloaded {exported}
        </Typography>
      )}
      <EnvironmentNote environment={environment} />
      <Typography sx={{ my: 1 }}>
        {result.requests.total} requests in{' '}
        {(result.durationMs / 1000).toFixed(1)} s: {result.requests.perSecond}{' '}
        req/s
        {result.config.mode === 'rate'
          ? ` of ${result.config.requestedRps} requested`
          : ' (max rate)'}
        , {result.requests.failed} failed (
        {(result.requests.errorRate * 100).toFixed(2)}%),{' '}
        {result.config.connections} connections, {result.config.protocol}.
      </Typography>
      {thresholds && (
        <Alert
          severity={thresholds.passed ? 'success' : 'error'}
          sx={{ mb: 1 }}
        >
          {thresholds.passed
            ? 'Thresholds passed'
            : `Thresholds broken: ${thresholds.broken.join('; ')}`}
        </Alert>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <SimpleTable
            caption="Latency percentiles"
            testId="percentile-table"
            headers={['Percentile', 'Latency']}
            rows={percentileRows(result.latencyMs).map(r => ({
              key: r.label,
              cells: [r.label, formatMs(r.ms)],
            }))}
          />
        </Grid>
        <Grid item xs={12} md={8}>
          <Box data-testid="latency-distribution">
            <Typography variant="subtitle2">Latency by percentile</Typography>
            {plot.rows.length > 0 ? (
              <LatencyDistributionChart
                plot={plot}
                series={[{ key: 'latency', name: runTargetLabel(run) }]}
                label="Latency distribution: latency in ms against percentile on a log scale"
              />
            ) : (
              <Typography color="text.secondary">
                No responses were measured.
              </Typography>
            )}
            {result.histogram.approximate && (
              <Typography variant="body2" color="text.secondary">
                Rebuilt from bucketed data (an imported fortio result):
                approximate.
              </Typography>
            )}
          </Box>
        </Grid>
        <Grid item xs={12} md={6}>
          <SimpleTable
            caption="Status codes"
            headers={['Status', 'Responses', 'Share']}
            rows={codes.map(c => ({
              key: c.code,
              cells: [c.code, c.count, `${(c.share * 100).toFixed(2)}%`],
            }))}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          {errors.length > 0 ? (
            <SimpleTable
              caption="Transport errors"
              headers={['Error', 'Count']}
              rows={errors.map(e => ({
                key: e.kind,
                cells: [e.label, e.count],
              }))}
            />
          ) : (
            <Typography>No transport errors.</Typography>
          )}
        </Grid>
      </Grid>
    </InfoCard>
  );
}
