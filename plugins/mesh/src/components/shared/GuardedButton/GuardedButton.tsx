import { useId, type ReactNode } from 'react';
import Button, { type ButtonProps } from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import Box from '@mui/material/Box';

/** Read by screen readers, not shown. */
export const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;

/** A permission answer as the permission hooks give it. */
export interface GuardedButtonPermission {
  allowed: boolean;
  /** Why not, when not allowed. */
  reason?: string;
}

/**
 * A button that is disabled with its reason (a tooltip, and an accessible description) when the
 * permission denies the action or `disabledReason` is set.
 */
export function GuardedButton(
  props: ButtonProps & {
    permission?: GuardedButtonPermission;
    disabledReason?: string;
    children: ReactNode;
  },
) {
  const { permission, disabledReason, disabled, children, ...rest } = props;
  const id = useId();
  const reason =
    permission && !permission.allowed ? permission.reason : disabledReason;
  if (!reason) {
    return (
      <Button {...rest} disabled={disabled}>
        {children}
      </Button>
    );
  }
  // A disabled button gets no pointer events: the tooltip sits on a wrapper.
  return (
    <Tooltip title={reason}>
      <span>
        <Button {...rest} disabled aria-describedby={id}>
          {children}
        </Button>
        <Box component="span" id={id} sx={visuallyHidden}>
          {reason}
        </Box>
      </span>
    </Tooltip>
  );
}
