import { useEffect, useRef } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import LinearProgress from '@mui/material/LinearProgress';
import type { Theme } from '@mui/material/styles';
import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type {
  OperationFinalStateEvent,
  OperationLogEntry,
  OperationState,
} from '@meshstage/plugin-mesh-common';
import {
  useOperationEvents,
  type OperationEventsOptions,
} from '../../../hooks/useOperationEvents';

/** Props of {@link OperationLogView}. */
export interface OperationLogViewProps {
  log: OperationLogEntry[];
  /** The final state; absent while the operation runs. */
  final?: OperationFinalStateEvent;
  /** The stream failed for good. */
  error?: Error;
  /** Reconnect attempts in progress. */
  reconnects?: number;
  /** Number of plan steps, for "step n of m". */
  steps?: number;
  /** Height limit of the scrolling log. Default 320 px. */
  maxHeight?: number | string;
}

const finalStatus: Record<OperationState, typeof StatusOK> = {
  succeeded: StatusOK,
  reverted: StatusOK,
  failed: StatusError,
  'revert-failed': StatusError,
  interrupted: StatusWarning,
  planned: StatusWarning,
  running: StatusWarning,
  reverting: StatusWarning,
};

function levelColor(theme: Theme, level: OperationLogEntry['level']) {
  const dark = theme.palette.mode === 'dark';
  if (level === 'error') {
    return dark ? theme.palette.error.light : theme.palette.error.dark;
  }
  if (level === 'warn') {
    return dark ? theme.palette.warning.light : theme.palette.warning.dark;
  }
  return theme.palette.text.primary;
}

const clock = (iso: string) => {
  const t = iso.match(/T(\d\d:\d\d:\d\d)/);
  return t ? t[1] : iso;
};

/**
 * An operation's step log as it arrives, and its final state ("succeeded", "failed", ...) once
 * known. Presentational: {@link OperationLog} feeds it from the event stream. Test id
 * `operation-log`.
 */
export function OperationLogView(props: OperationLogViewProps) {
  const { log, final, error, reconnects = 0, steps, maxHeight = 320 } = props;
  const scroller = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [log.length]);

  const lastStep = [...log].reverse().find(e => e.step !== undefined)?.step;
  const Final = final ? finalStatus[final.state] : undefined;

  return (
    <Box data-testid="operation-log">
      <Box
        component="ol"
        ref={scroller}
        role="log"
        aria-label="Operation step log"
        aria-live="polite"
        // A scrolling region: focusable so that keyboard users can scroll it.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        sx={theme => ({
          listStyle: 'none',
          m: 0,
          p: 1,
          maxHeight,
          overflow: 'auto',
          fontFamily: 'monospace',
          fontSize: '0.8rem',
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          '&:focus-visible': {
            outline: `2px solid ${theme.palette.primary.main}`,
          },
        })}
      >
        {log.length === 0 && !final && (
          <Typography component="li" variant="body2" color="text.secondary">
            Waiting for the first step…
          </Typography>
        )}
        {log.map(entry => (
          <Box
            component="li"
            key={entry.seq}
            data-level={entry.level}
            sx={theme => ({
              color: levelColor(theme, entry.level),
              whiteSpace: 'pre-wrap',
            })}
          >
            <Box component="span" sx={{ color: 'text.secondary', mr: 1 }}>
              {clock(entry.time)}
            </Box>
            {entry.level !== 'info' && (
              <Box component="span" sx={{ fontWeight: 'bold', mr: 1 }}>
                {entry.level.toUpperCase()}
              </Box>
            )}
            {entry.message}
          </Box>
        ))}
      </Box>
      <Box sx={{ mt: 1 }} aria-live="polite">
        {final && Final && (
          <Typography variant="body2" component="div">
            <Final>Operation {final.state}</Final>
            {final.error && (
              <Typography variant="body2" color="error" component="div">
                {final.error}
              </Typography>
            )}
          </Typography>
        )}
        {!final && error && (
          <Typography variant="body2" component="div">
            <StatusError>
              Lost the operation’s log: {error.message}. The operation keeps
              running in the backend.
            </StatusError>
          </Typography>
        )}
        {!final && !error && (
          <>
            <Typography variant="body2" color="text.secondary">
              Running
              {lastStep !== undefined && steps
                ? `: step ${lastStep + 1} of ${steps}`
                : '…'}
              {reconnects > 0 ? ` (reconnecting, attempt ${reconnects})` : ''}
            </Typography>
            <LinearProgress
              aria-label="Operation progress"
              {...(lastStep !== undefined && steps
                ? {
                    variant: 'determinate' as const,
                    value: Math.round((100 * lastStep) / steps),
                  }
                : {})}
            />
          </>
        )}
      </Box>
    </Box>
  );
}

/** Props of {@link OperationLog}. */
export interface OperationLogProps extends OperationEventsOptions {
  operationId: string;
  /** Number of plan steps, for "step n of m". */
  steps?: number;
  /** Called once when the final state arrives. */
  onFinished?: (final: OperationFinalStateEvent) => void;
  maxHeight?: number | string;
}

/**
 * Follows an operation's step log over its event stream (reconnecting with `Last-Event-ID`)
 * and shows it with the final state. Reusable wherever an operation runs.
 */
export function OperationLog(props: OperationLogProps) {
  const { operationId, steps, onFinished, maxHeight, ...options } = props;
  const events = useOperationEvents(operationId, options);
  const reported = useRef<string | undefined>(undefined);
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;
  useEffect(() => {
    if (events.final && reported.current !== operationId) {
      reported.current = operationId;
      onFinishedRef.current?.(events.final);
    }
  }, [events.final, operationId]);
  return (
    <OperationLogView
      log={events.log}
      final={events.final}
      error={events.error}
      reconnects={events.reconnects}
      steps={steps}
      maxHeight={maxHeight}
    />
  );
}
