import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { EntityOnboarding } from '@meshstage/plugin-mesh-common';
import { onboardingLine } from './onboardingLine';

/**
 * The entity's catalog-driven onboarding state in one line: a chip, the reason, and the pending
 * operation (or the automatic one running).
 */
export function OnboardingStateLine(props: { onboarding: EntityOnboarding }) {
  const line = onboardingLine(props.onboarding);
  return (
    <Stack
      direction="row"
      spacing={1}
      alignItems="center"
      flexWrap="wrap"
      useFlexGap
      data-testid="onboarding-state"
    >
      <Typography variant="body2" component="span">
        Onboarding:
      </Typography>
      <Chip size="small" color={line.tone} label={line.label} />
      <Typography variant="body2" component="span" color="text.secondary">
        {line.reason}
        {line.action ? `. ${line.action}` : ''}
      </Typography>
    </Stack>
  );
}
