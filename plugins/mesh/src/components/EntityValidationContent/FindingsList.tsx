import { Link } from '@backstage/core-components';
import { findingDocsUrl } from '@meshstage/plugin-mesh-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { Theme } from '@mui/material/styles';
import {
  type CodeGroup,
  type FindingRow,
  type FixedRow,
  type SeverityGroup,
  resourceLabel,
} from '../../lib/validationFindings';

const SEVERITY_TITLES: Record<SeverityGroup['severity'], [string, string]> = {
  error: ['error', 'Errors'],
  warning: ['warning', 'Warnings'],
  info: ['info', 'Info'],
};

/** The palette colour of a severity (Backstage's status colours, in both themes). */
const severityColor = (severity: SeverityGroup['severity']) => (t: Theme) => {
  const status = (t.palette as { status?: Record<string, string> }).status;
  if (severity === 'error') return status?.error ?? t.palette.error.main;
  if (severity === 'warning') return status?.warning ?? t.palette.warning.main;
  return t.palette.info.main;
};

const codeHeadingId = (code: string, severity: string) =>
  `validation-${severity}-${code}`;

/** One finding: its code, resource and cluster, field path, message and badges. */
function FindingItem({ finding }: { finding: FindingRow }) {
  return (
    <Box
      component="li"
      data-testid="validation-finding"
      sx={{
        py: 1,
        px: 1.5,
        borderTop: 1,
        borderColor: 'divider',
        listStyle: 'none',
      }}
    >
      <Box
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center' }}
      >
        <Typography
          variant="body2"
          component="span"
          sx={{ fontFamily: 'monospace', fontWeight: 'bold' }}
        >
          {finding.code}
          {finding.istioCode ? ` (${finding.istioCode})` : ''}
        </Typography>
        {finding.new && (
          <Chip size="small" color="primary" label="new" variant="outlined" />
        )}
        {finding.suppressed && (
          <Chip
            size="small"
            variant="outlined"
            label={`suppressed${
              finding.suppressedBy ? ` by ${finding.suppressedBy}` : ''
            }`}
          />
        )}
        <Typography variant="body2" component="span">
          {resourceLabel(finding.resource)}
        </Typography>
        <Typography variant="body2" component="span" color="text.secondary">
          on cluster {finding.cluster}
        </Typography>
        {finding.path && (
          <Typography
            variant="body2"
            component="code"
            color="text.secondary"
            sx={{ fontFamily: 'monospace' }}
            title="Field path (JSON pointer)"
          >
            {finding.path}
          </Typography>
        )}
      </Box>
      <Typography variant="body2" sx={{ mt: 0.5 }}>
        {finding.message}
      </Typography>
    </Box>
  );
}

/** The findings of one code, under what the code means and how to fix it. */
function CodeSection({ group }: { group: CodeGroup }) {
  const headingId = codeHeadingId(group.code, group.severity);
  const docs =
    group.findings.find(f => f.docs)?.docs ?? findingDocsUrl(group.code);
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby={headingId}
      sx={{
        mb: 2,
        borderLeft: 4,
        borderLeftColor: severityColor(group.severity),
      }}
    >
      <Box sx={{ p: 1.5 }}>
        <Box
          sx={{
            display: 'flex',
            flexWrap: 'wrap',
            gap: 1,
            alignItems: 'baseline',
          }}
        >
          <Typography variant="h6" component="h4" id={headingId}>
            {group.code}
            {group.doc ? ` ${group.doc.name}` : ''}
          </Typography>
          {group.istioCode && (
            <Typography variant="body2" color="text.secondary">
              istioctl {group.istioCode}
            </Typography>
          )}
          <Typography variant="body2" color="text.secondary">
            {group.findings.length} finding
            {group.findings.length === 1 ? '' : 's'}
            {group.newCount ? `, ${group.newCount} new` : ''}
          </Typography>
        </Box>
        {group.doc && (
          <Typography variant="body2" sx={{ mt: 0.5 }}>
            {group.doc.summary}
          </Typography>
        )}
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          <strong>Fix: </strong>
          {group.doc?.help ?? 'see the documentation of the code.'}{' '}
          <Link to={docs}>Documentation of {group.code}</Link>
        </Typography>
      </Box>
      <Box
        component="ul"
        sx={{ m: 0, p: 0 }}
        aria-label={`${group.code} findings`}
      >
        {group.findings.map(f => (
          <FindingItem key={f.key} finding={f} />
        ))}
      </Box>
    </Paper>
  );
}

/** Findings grouped by severity, then by code. */
export function FindingGroups({ groups }: { groups: SeverityGroup[] }) {
  return (
    <>
      {groups.map(g => {
        const [id, title] = SEVERITY_TITLES[g.severity];
        return (
          <Box
            component="section"
            key={g.severity}
            aria-labelledby={`validation-severity-${id}`}
            sx={{ mb: 3 }}
          >
            <Typography
              variant="h5"
              component="h3"
              id={`validation-severity-${id}`}
              sx={{ color: severityColor(g.severity), mb: 1 }}
            >
              {title} ({g.count})
            </Typography>
            {g.codes.map(c => (
              <CodeSection key={c.code} group={c} />
            ))}
          </Box>
        );
      })}
    </>
  );
}

/** The previous scan's findings that the latest scan no longer reports. */
export function FixedFindings({ rows }: { rows: FixedRow[] }) {
  if (rows.length === 0) return null;
  return (
    <Box
      component="section"
      aria-labelledby="validation-fixed"
      data-testid="validation-fixed"
      sx={{ mb: 3 }}
    >
      <Typography
        variant="h5"
        component="h3"
        id="validation-fixed"
        sx={{ color: t => t.palette.success.main, mb: 1 }}
      >
        Fixed since the previous scan ({rows.length})
      </Typography>
      <Paper variant="outlined" component="ul" sx={{ m: 0, p: 0 }}>
        {rows.map(f => (
          <Box
            component="li"
            key={f.key}
            data-testid="validation-fixed-finding"
            sx={{
              py: 1,
              px: 1.5,
              listStyle: 'none',
              '& + li': { borderTop: 1, borderColor: 'divider' },
            }}
          >
            <Box
              sx={{
                display: 'flex',
                flexWrap: 'wrap',
                gap: 1,
                alignItems: 'center',
              }}
            >
              <Typography
                variant="body2"
                component="span"
                sx={{ fontFamily: 'monospace', fontWeight: 'bold' }}
              >
                {f.code}
              </Typography>
              <Chip
                size="small"
                color="success"
                variant="outlined"
                label="fixed"
              />
              <Typography variant="body2" component="span">
                {resourceLabel(f.resource)}
              </Typography>
              <Typography
                variant="body2"
                component="span"
                color="text.secondary"
              >
                on cluster {f.cluster}
              </Typography>
            </Box>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              {f.message}
            </Typography>
          </Box>
        ))}
      </Paper>
    </Box>
  );
}
