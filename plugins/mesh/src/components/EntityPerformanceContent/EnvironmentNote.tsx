import Alert from '@mui/material/Alert';
import Typography from '@mui/material/Typography';
import type { BenchmarkEnvironment } from '@meshstage/plugin-mesh-common';

/** Where a result was measured, and the backend's warning when the mesh proxies were simulated. */
export function EnvironmentNote(props: { environment: BenchmarkEnvironment }) {
  const e = props.environment;
  return (
    <>
      <Typography variant="body2" color="text.secondary">
        Measured{' '}
        {e.runner === 'in-cluster' ? 'in-cluster' : 'from the backend process'}{' '}
        on {e.hostname}
        {e.pods ? ` by ${e.pods} load-generator pods` : ''}, {e.threads} thread
        {e.threads === 1 ? '' : 's'}, loadgen {e.loadgenVersion}.
      </Typography>
      {e.simulatedProxies && (
        <Alert severity="warning" sx={{ my: 1 }}>
          Simulated mesh proxies: {e.simulatedProxies.reason}. Latency here is
          not mesh overhead.
        </Alert>
      )}
    </>
  );
}
