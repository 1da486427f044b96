import { meshValidationScanPermission } from '@meshstage/plugin-mesh-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { useActionPermission } from '../../hooks/useActionPermission';

/**
 * "Scan now": enabled when the user holds `mesh.validation.scan` and there is a cluster to scan;
 * otherwise disabled, with the reason next to it (and as its accessible description).
 */
export function ScanNowButton(props: {
  clusters: string[];
  scanning: boolean;
  onScan: () => void;
}) {
  const { clusters, scanning, onScan } = props;
  const permission = useActionPermission(
    meshValidationScanPermission,
    'start validation scans',
  );
  const { loading } = permission;
  const reasonId = useId();
  // While the answer loads the button is disabled without a reason to read.
  let reason = loading ? undefined : permission.reason;
  if (!loading && !reason && clusters.length === 0) {
    reason = 'No configured cluster to scan for this entity.';
  }
  const disabled = loading || scanning || Boolean(reason);
  return (
    <Box
      sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}
    >
      <Button
        variant="contained"
        color="primary"
        onClick={onScan}
        disabled={disabled}
        aria-describedby={reason ? reasonId : undefined}
        startIcon={
          scanning ? <CircularProgress size={16} color="inherit" /> : undefined
        }
      >
        Scan now
      </Button>
      {scanning && (
        <Typography variant="body2" color="text.secondary" role="status">
          Scanning {clusters.join(', ')}…
        </Typography>
      )}
      {reason && (
        <Typography variant="body2" color="text.secondary" id={reasonId}>
          {reason}
        </Typography>
      )}
      {!reason && !scanning && clusters.length > 0 && (
        <Typography variant="body2" color="text.secondary">
          Scans cluster{clusters.length === 1 ? '' : 's'} {clusters.join(', ')}
        </Typography>
      )}
    </Box>
  );
}
