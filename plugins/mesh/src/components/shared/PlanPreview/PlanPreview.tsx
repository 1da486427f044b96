import { useId, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import Collapse from '@mui/material/Collapse';
import Typography from '@mui/material/Typography';
import { alpha, type Theme } from '@mui/material/styles';
import {
  describeStepCounts,
  parsePlanDiff,
  type PlanDiffLine,
  type PlanDiffLineKind,
} from '../../../lib/planDiff';

/** Props of {@link PlanPreview}. */
export interface PlanPreviewProps {
  /** The dry-run text (`PlanPreview.diff` from the backend). */
  diff: string;
  /**
   * Which steps start expanded: `all`, `none`, or `auto` (all when the diff is short, else
   * none). Default `auto`.
   */
  defaultExpanded?: 'all' | 'none' | 'auto';
  /** Height limit of the scrolling area. Default 60vh. */
  maxHeight?: number | string;
}

const AUTO_EXPAND_LINES = 120;

/** Theme colour of a line kind (light/dark aware: the darker shade on light backgrounds). */
function lineColor(theme: Theme, kind: PlanDiffLineKind): string {
  const dark = theme.palette.mode === 'dark';
  const pick = (c: { light: string; dark: string }) =>
    dark ? c.light : c.dark;
  switch (kind) {
    case 'add':
      return pick(theme.palette.success);
    case 'change':
      return pick(theme.palette.warning);
    case 'remove':
      return pick(theme.palette.error);
    case 'wait':
      return pick(theme.palette.info);
    case 'unchanged':
      return theme.palette.text.secondary;
    default:
      return theme.palette.text.primary;
  }
}

const kindWords: Partial<Record<PlanDiffLineKind, string>> = {
  add: 'added',
  change: 'changed',
  remove: 'removed',
  unchanged: 'unchanged',
  wait: 'wait',
};

function DiffLine({ line }: { line: PlanDiffLine }) {
  return (
    <Box
      component="span"
      data-kind={line.kind}
      title={line.detail ? undefined : kindWords[line.kind]}
      sx={theme => ({
        display: 'block',
        whiteSpace: 'pre',
        px: 1,
        color: lineColor(theme, line.kind),
        opacity: line.detail ? 0.9 : 1,
        fontWeight: line.detail ? 'normal' : 'bold',
        backgroundColor:
          line.kind === 'add' || line.kind === 'remove'
            ? alpha(lineColor(theme, line.kind), 0.08)
            : 'transparent',
      })}
    >
      {line.text}
    </Box>
  );
}

/**
 * A plan's dry-run diff, syntax-coloured by line prefix (`+` new, `~` changed, `-` deleted, `=`
 * unchanged, `… wait`) with each numbered step collapsible. The backend's diff is mesh-node's
 * `renderPlanDiff` text, not a unified diff. Test id `plan-preview`.
 */
export function PlanPreview(props: PlanPreviewProps) {
  const { diff, defaultExpanded = 'auto', maxHeight = '60vh' } = props;
  const parsed = useMemo(() => parsePlanDiff(diff), [diff]);
  const baseId = useId();
  const totalLines = parsed.steps.reduce((n, s) => n + s.lines.length, 0);
  const startOpen =
    defaultExpanded === 'all' ||
    (defaultExpanded === 'auto' && totalLines <= AUTO_EXPAND_LINES);
  const [open, setOpen] = useState<Set<number>>(
    () => new Set(startOpen ? parsed.steps.map(s => s.number) : []),
  );
  const toggle = (n: number) =>
    setOpen(prev => {
      const next = new Set(prev);
      if (next.has(n)) next.delete(n);
      else next.add(n);
      return next;
    });

  return (
    <Box data-testid="plan-preview">
      {parsed.summary && (
        <Typography variant="subtitle1" component="h3" gutterBottom>
          {parsed.summary}
        </Typography>
      )}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="body2" color="text.secondary">
          {parsed.steps.length} step{parsed.steps.length === 1 ? '' : 's'}
        </Typography>
        <Button
          size="small"
          onClick={() => setOpen(new Set(parsed.steps.map(s => s.number)))}
        >
          Expand all
        </Button>
        <Button size="small" onClick={() => setOpen(new Set())}>
          Collapse all
        </Button>
      </Box>
      <Box
        sx={{
          maxHeight,
          overflow: 'auto',
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
        }}
      >
        {parsed.preamble.length > 0 && (
          <Box component="pre" sx={{ m: 0, py: 1, fontFamily: 'monospace' }}>
            {parsed.preamble.map((line, i) => (
              <DiffLine key={i} line={line} />
            ))}
          </Box>
        )}
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {parsed.steps.map(step => {
            const expanded = open.has(step.number);
            const bodyId = `${baseId}-step-${step.number}`;
            const counts = describeStepCounts(step.counts);
            return (
              <Box
                component="li"
                key={step.number}
                sx={{
                  borderBottom: 1,
                  borderColor: 'divider',
                  '&:last-of-type': { borderBottom: 0 },
                }}
              >
                <ButtonBase
                  onClick={() => toggle(step.number)}
                  aria-expanded={expanded}
                  aria-controls={bodyId}
                  sx={theme => ({
                    width: '100%',
                    justifyContent: 'flex-start',
                    textAlign: 'left',
                    gap: 1,
                    px: 1,
                    py: 0.5,
                    fontFamily: 'monospace',
                    '&:hover': { backgroundColor: theme.palette.action.hover },
                    '&.Mui-focusVisible': {
                      outline: `2px solid ${theme.palette.primary.main}`,
                      outlineOffset: -2,
                    },
                  })}
                >
                  <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                  <Typography
                    component="span"
                    variant="body2"
                    fontWeight="bold"
                  >
                    {step.number}. {step.title}
                  </Typography>
                  {counts && (
                    <Typography
                      component="span"
                      variant="caption"
                      color="text.secondary"
                    >
                      ({counts})
                    </Typography>
                  )}
                </ButtonBase>
                <Collapse in={expanded} unmountOnExit>
                  <Box
                    component="pre"
                    id={bodyId}
                    sx={{
                      m: 0,
                      pb: 1,
                      fontFamily: 'monospace',
                      fontSize: '0.8rem',
                      overflowX: 'auto',
                    }}
                  >
                    {step.lines.map((line, i) => (
                      <DiffLine key={i} line={line} />
                    ))}
                  </Box>
                </Collapse>
              </Box>
            );
          })}
        </Box>
      </Box>
    </Box>
  );
}
