import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { InfoCard } from '@backstage/core-components';
import type {
  OperationFinalStateEvent,
  OperationState,
} from '@meshstage/plugin-mesh-common';
import type { MeshPermissionState } from '../../hooks/useMeshPermission';
import {
  RUN_AGAIN_LABELS,
  runAgainVerbs,
  type RunAgainVerb,
} from '../../lib/runAgain';
import { GuardedButton } from '../shared/GuardedButton';
import { OperationLog } from '../shared/OperationLog';

/** Props of {@link NamespaceOperationCard}. */
export interface NamespaceOperationCardProps {
  title: string;
  /** The operation's summary, e.g. `Onboard namespace bookinfo to Istio on dev`. */
  summary: string;
  operationId: string;
  steps?: number;
  /** Its state once it stopped (from the list, or the log's final event): Resume and Revert follow from it. */
  state?: OperationState;
  /** The user's permission to resume and to revert this operation. */
  permissions: Record<RunAgainVerb, MeshPermissionState>;
  /** Set while another operation from the tab runs: Resume and Revert wait for it. */
  busyReason?: string;
  /** Accessible names of the buttons carry the summary (the tab shows several operations). */
  qualifyNames?: boolean;
  retryDelayMs?: number;
  onFinished?: (final: OperationFinalStateEvent) => void;
  onRunAgain: (verb: RunAgainVerb) => void;
}

/**
 * An onboard or offboard operation of the entity's namespace on the Mesh tab: its step log (live
 * while it runs) and, once it stopped failed, interrupted or revert-failed, Resume and Revert,
 * disabled with the reason when the user may not.
 */
export function NamespaceOperationCard(props: NamespaceOperationCardProps) {
  const { state, permissions, busyReason } = props;
  const verbs = runAgainVerbs(state);
  return (
    <InfoCard title={props.title} subheader={props.summary}>
      <OperationLog
        operationId={props.operationId}
        steps={props.steps}
        retryDelayMs={props.retryDelayMs}
        onFinished={props.onFinished}
      />
      {verbs.length > 0 && (
        <Box
          sx={{
            mt: 2,
            display: 'flex',
            flexWrap: 'wrap',
            alignItems: 'center',
            gap: 1,
          }}
        >
          <Typography variant="body2" sx={{ flex: '1 1 20rem' }}>
            {verbs.includes('resume')
              ? 'Resume runs it again from the step that did not finish; Revert undoes what it changed.'
              : 'Revert undoes what it changed.'}
          </Typography>
          {verbs.map(verb => (
            <GuardedButton
              key={verb}
              size="small"
              variant={verb === 'resume' ? 'contained' : 'outlined'}
              color={verb === 'revert' ? 'warning' : 'primary'}
              permission={permissions[verb]}
              disabledReason={busyReason}
              aria-label={
                props.qualifyNames
                  ? `${RUN_AGAIN_LABELS[verb]} ${props.summary}`
                  : undefined
              }
              onClick={() => props.onRunAgain(verb)}
            >
              {RUN_AGAIN_LABELS[verb]}
            </GuardedButton>
          ))}
        </Box>
      )}
    </InfoCard>
  );
}
