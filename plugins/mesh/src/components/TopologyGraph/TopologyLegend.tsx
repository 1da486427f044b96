import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import type { TopologyHealth } from '@meshstage/plugin-mesh-common';
import { healthColor } from './colors';
import { HEALTH_TEXT } from './model';

function Line({
  dash,
  color,
  label,
}: {
  dash?: string;
  color: string;
  label: string;
}) {
  return (
    <Box
      component="span"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
    >
      <svg width="28" height="8" aria-hidden>
        <line
          x1="0"
          y1="4"
          x2="28"
          y2="4"
          stroke={color}
          strokeWidth="2"
          strokeDasharray={dash}
        />
      </svg>
      {label}
    </Box>
  );
}

/** What colours and line styles mean. */
export function TopologyLegend() {
  const theme = useTheme();
  const healths: TopologyHealth[] = [
    'healthy',
    'degraded',
    'failing',
    'unknown',
  ];
  return (
    <Box
      aria-label="Legend"
      component="section"
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: 2,
        mt: 1,
        fontSize: 12,
        color: 'text.secondary',
      }}
    >
      {healths.map(h => (
        <Box
          component="span"
          key={h}
          sx={{ display: 'inline-flex', gap: 0.5, alignItems: 'center' }}
        >
          <Box
            component="span"
            sx={{
              width: 10,
              height: 10,
              borderRadius: '2px',
              bgcolor: healthColor(theme, h),
            }}
          />
          {HEALTH_TEXT[h].icon} {HEALTH_TEXT[h].text}
        </Box>
      ))}
      <Line color={theme.palette.text.primary} label="routes / traffic" />
      <Line color={theme.palette.text.disabled} label="service selects pods" />
      <Line
        color={theme.palette.text.primary}
        dash="7 5"
        label="declared in the catalog only"
      />
      <Line color={theme.palette.text.primary} dash="2 4" label="mirror" />
      <Box component="span">Bold blue border: this entity</Box>
    </Box>
  );
}
