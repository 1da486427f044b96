import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { InfoCard } from '@backstage/core-components';
import { useRunEvents } from '../../hooks/useRunEvents';
import { progressSeries, runTargetLabel } from '../../lib/benchmarkRuns';
import { formatMs } from '../../lib/benchmarkResults';
import { SeriesChart } from './charts';
import { SimpleTable } from './SimpleTable';
import { GuardedButton } from '../shared/GuardedButton';
import type { ActionPermission } from './usePerformancePermissions';
import { useEffect } from 'react';
import type { BenchmarkRun } from '@meshstage/plugin-mesh-common';

/** Live progress of a run from its event stream: requests/s and p50/p99 over time. */
export function RunProgressPanel(props: {
  runId: string;
  permission: ActionPermission;
  onCancel: (runId: string) => void;
  onFinished: (run: BenchmarkRun) => void;
  onClose: () => void;
}) {
  const { runId, onFinished } = props;
  const events = useRunEvents(runId);
  const points = progressSeries(events.progress);
  const measured = points.filter(p => !p.warmingUp);
  const last = events.progress[events.progress.length - 1];
  const run = events.run;

  useEffect(() => {
    if (events.done && run) onFinished(run);
    // Once per final state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [events.done, run?.state]);

  return (
    <InfoCard
      title={`Run ${runId}`}
      subheader={
        run ? `${run.profile.name} · ${runTargetLabel(run)}` : undefined
      }
    >
      <Box data-testid="run-progress" aria-live="polite">
        <Typography>
          State: <strong>{run?.state ?? 'connecting…'}</strong>
          {last && (
            <>
              {' · '}
              {last.warmingUp
                ? `warming up (${Math.abs(last.second)} s left)`
                : `second ${last.second + 1}: ${last.completed} requests, ${
                    last.ratePerSecond
                  } req/s so far, ${last.failed} failed`}
            </>
          )}
        </Typography>
        {!events.done && !events.error && (
          <LinearProgress aria-label="Run in progress" sx={{ my: 1 }} />
        )}
        {run?.error && <Alert severity="error">{run.error}</Alert>}
        {events.error && (
          <Alert severity="warning">
            Lost the progress stream: {events.error.message}. The run continues
            in the backend.
          </Alert>
        )}
        {run?.profile.inCluster && !events.done && (
          <Typography variant="body2" color="text.secondary">
            In-cluster pods report only when they finish: no per-second progress
            for this run.
          </Typography>
        )}
        {measured.length > 0 && (
          <>
            <SeriesChart
              label="Requests per second and latency over time"
              data={measured}
              xKey="second"
              leftLabel="req/s"
              rightLabel="ms"
              lines={[
                { key: 'requestsPerSecond', name: 'requests/s' },
                { key: 'p50', name: 'p50 so far (ms)', yAxis: 'right' },
                { key: 'p99', name: 'p99 so far (ms)', yAxis: 'right' },
              ]}
            />
            <SimpleTable
              caption="Progress per second"
              headers={[
                'Second',
                'Requests',
                'Errors',
                'p50 so far',
                'p99 so far',
              ]}
              rows={measured.map(p => ({
                key: String(p.second),
                cells: [
                  p.second + 1,
                  p.requestsPerSecond,
                  p.errors,
                  p.p50 !== undefined ? formatMs(p.p50) : '-',
                  p.p99 !== undefined ? formatMs(p.p99) : '-',
                ],
              }))}
            />
          </>
        )}
        <Box sx={{ mt: 1, display: 'flex', gap: 1 }}>
          {!events.done && (
            <GuardedButton
              variant="outlined"
              color="warning"
              permission={props.permission}
              onClick={() => props.onCancel(runId)}
            >
              Cancel run
            </GuardedButton>
          )}
          {events.done && <Button onClick={props.onClose}>Close</Button>}
        </Box>
      </Box>
    </InfoCard>
  );
}
