import useAsync from 'react-use/esm/useAsync';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { meshApiRef } from '../../api';
import {
  differenceHeadline,
  formatDifference,
  formatMetricValue,
  metricLabel,
  verdictTone,
} from '../../lib/benchmarkCompare';
import { hdrPlot } from '../../lib/benchmarkResults';
import { runTargetLabel, shortRunId } from '../../lib/benchmarkRuns';
import { LatencyDistributionChart } from './charts';
import { SimpleTable } from './SimpleTable';

/**
 * Runs side by side against the first (the baseline): each metric's value, difference and the
 * backend's noise verdict with its reason, the latency distributions overlaid, and what the
 * backend says about the environments (simulated proxies are not mesh overhead).
 */
export function ComparePanel(props: { runIds: string[]; onClose: () => void }) {
  const meshApi = useApi(meshApiRef);
  const { palette } = useTheme();
  const key = props.runIds.join(',');
  const { value, loading, error } = useAsync(async () => {
    const comparison = await meshApi.compareBenchmarkRuns(props.runIds);
    // The distributions are a bonus: a failure leaves the table.
    const results = await Promise.all(
      props.runIds.map(id =>
        meshApi.getBenchmarkResult(id).catch(() => undefined),
      ),
    );
    return { comparison, results };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meshApi, key]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} title="Comparison" />;
  if (!value) return null;
  const { comparison, results } = value;
  const caveats = comparison.caveats ?? [];
  const runs = comparison.runs;
  const name = (id: string) => {
    const r = runs.find(x => x.id === id);
    return `${shortRunId(id)} (${r ? runTargetLabel(r) : '?'})`;
  };
  const toneColour = {
    ok: palette.success.main,
    error: palette.error.main,
    neutral: palette.text.secondary,
  };
  const series = results
    .map((r, i) =>
      r
        ? { key: `s${i}`, name: name(r.runId), data: r.result.histogram.data }
        : undefined,
    )
    .filter((s): s is { key: string; name: string; data: string } => !!s);
  const plot = hdrPlot(series);

  return (
    <InfoCard
      title="Comparison"
      subheader={`Baseline: ${name(comparison.baseline)}`}
    >
      <Box data-testid="run-comparison">
        {caveats.length > 0 ? (
          <Alert severity="warning" sx={{ mb: 1 }}>
            <Typography variant="subtitle2">
              These differences are not mesh overhead. The backend notes:
            </Typography>
            <ul>
              {caveats.map(c => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </Alert>
        ) : (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            The backend noted nothing about the environments that limits this
            comparison.
          </Typography>
        )}
        <SimpleTable
          caption="Compared runs"
          headers={[
            'Run',
            'Profile',
            'Mesh',
            'Cluster',
            'Measured',
            'Requests',
            'Throughput per second',
          ]}
          rows={runs.map(r => ({
            key: r.id,
            cells: [
              r.id === comparison.baseline
                ? `${shortRunId(r.id)} (baseline)`
                : shortRunId(r.id),
              r.profileName,
              runTargetLabel(r),
              r.cluster ?? '-',
              r.environment
                ? `${r.environment.runner}${
                    r.environment.simulatedProxies ? ', simulated proxies' : ''
                  }`
                : '-',
              r.requests,
              `${r.perSecondThroughput.mean} ± ${r.perSecondThroughput.stddev} (${r.perSecondThroughput.seconds} s)`,
            ],
          }))}
        />
        <Box sx={{ mt: 2 }}>
          <SimpleTable
            caption="Metrics against the baseline"
            testId="compare-table"
            headers={[
              'Metric',
              ...comparison.runs.map(r =>
                r.id === comparison.baseline
                  ? `${name(r.id)} baseline`
                  : name(r.id),
              ),
            ]}
            rows={comparison.metrics.map(m => ({
              key: m.metric,
              cells: [
                metricLabel(m.metric),
                ...m.values.map(v => (
                  <Box key={v.runId}>
                    <div>{formatMetricValue(v.value, m.unit)}</div>
                    {v.difference && (
                      <Tooltip title={v.difference.reason}>
                        <Typography
                          variant="body2"
                          tabIndex={0}
                          sx={{
                            color:
                              toneColour[verdictTone(v.difference.verdict)],
                          }}
                        >
                          {formatDifference(v.difference, m.unit)}:{' '}
                          {differenceHeadline(v.difference.verdict, caveats)}
                          <Typography
                            component="span"
                            variant="caption"
                            display="block"
                            color="text.secondary"
                          >
                            {v.difference.reason}
                          </Typography>
                        </Typography>
                      </Tooltip>
                    )}
                  </Box>
                )),
              ],
            }))}
          />
        </Box>
        {plot.rows.length > 0 && (
          <Box sx={{ mt: 2 }}>
            <Typography variant="subtitle2">Latency by percentile</Typography>
            <LatencyDistributionChart
              plot={plot}
              series={series}
              label="Latency distributions of the compared runs"
            />
          </Box>
        )}
        <Button onClick={props.onClose}>Close comparison</Button>
      </Box>
    </InfoCard>
  );
}
