import type { EntityFindings } from '@meshstage/plugin-mesh-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';

/**
 * What the latest scan of each of the entity's clusters could not check (its `MS0005` findings:
 * kinds the cluster refused to list), one line per kind. They are on no object of the entity, so
 * without this an entity without findings would look checked while some rules never ran. A
 * suppressed one (the platform team gave MeshStage a read-only role on purpose) is still said,
 * as information rather than a warning.
 */
export function SkippedChecks({ data }: { data: EntityFindings }) {
  const help = data.codes?.find(c => c.code === 'MS0005')?.help;
  const gaps = data.clusters.filter(c => c.skipped?.length);
  if (gaps.length === 0) return null;
  return (
    <>
      {gaps.map(({ cluster, skipped = [] }) => (
        <Alert
          key={cluster}
          severity={skipped.every(f => f.suppressed) ? 'info' : 'warning'}
          sx={{ mb: 2 }}
          data-testid="validation-skipped"
        >
          {skipped.map(f => (
            <Box key={f.fingerprint || f.message}>
              The latest scan of {cluster} could not check everything:{' '}
              {f.message}
              {f.suppressed &&
                ` (suppressed${f.suppressedBy ? ` by ${f.suppressedBy}` : ''})`}
            </Box>
          ))}
          {help && <Box sx={{ mt: 1 }}>Fix: {help}</Box>}
        </Alert>
      ))}
    </>
  );
}
