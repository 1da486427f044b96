import type { Theme } from '@mui/material/styles';
import type { TopologyHealth } from '@meshstage/plugin-mesh-common';

/** Health colours from Backstage's status palette (the same in light and dark themes' sense). */
export function healthColor(theme: Theme, health: TopologyHealth): string {
  const status = (theme.palette as any).status ?? {};
  switch (health) {
    case 'healthy':
      return status.ok ?? theme.palette.success.main;
    case 'degraded':
      return status.warning ?? theme.palette.warning.main;
    case 'failing':
      return status.error ?? theme.palette.error.main;
    default:
      return theme.palette.text.secondary;
  }
}
