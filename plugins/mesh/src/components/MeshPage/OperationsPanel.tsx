import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  OperationListFilter,
  OperationState,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import { OperationCauseText } from './OperationCauseText';

/** Short columns keep their words whole; the operation's summary takes the remaining width. */
const noWrap = { whiteSpace: 'nowrap', wordBreak: 'normal' } as const;

const STATES: OperationState[] = [
  'planned',
  'running',
  'succeeded',
  'failed',
  'interrupted',
  'reverting',
  'reverted',
  'revert-failed',
];

/**
 * Operation history across clusters and meshes, newest first: filters (cluster, mesh, state,
 * who), paging, and each row opens the operation (plan, log, Resume/Revert). Test id
 * `operations-table`.
 */
export function OperationsPanel(props: {
  clusters: string[];
  meshes: string[];
  onOpen: (id: string) => void;
  pageSize?: number;
  pollIntervalMs?: number;
}) {
  const { clusters, meshes, onOpen, pageSize = 20 } = props;
  const meshApi = useApi(meshApiRef);
  const [filter, setFilter] = useState<OperationListFilter>({});
  const [page, setPage] = useState(0);
  const [who, setWho] = useState('');
  const list = useAsyncRetry(async () => {
    // One more than a page: whether there is a next page.
    const items = await meshApi.listOperations({
      ...filter,
      limit: pageSize + 1,
      offset: page * pageSize,
    });
    return { items: items.slice(0, pageSize), more: items.length > pageSize };
  }, [meshApi, filter, page, pageSize]);
  usePolling(list.retry, props.pollIntervalMs);

  const change = (patch: Partial<OperationListFilter>) => {
    setPage(0);
    setFilter(f => {
      const next = { ...f, ...patch };
      for (const k of Object.keys(next) as (keyof OperationListFilter)[]) {
        if (!next[k]) delete next[k];
      }
      return next;
    });
  };

  const select = (
    label: string,
    key: 'cluster' | 'mesh' | 'state',
    options: string[],
  ) => (
    <TextField
      select
      size="small"
      label={label}
      value={filter[key] ?? ''}
      onChange={e => change({ [key]: e.target.value || undefined })}
      sx={{ minWidth: 150 }}
      SelectProps={{ inputProps: { 'aria-label': label } }}
    >
      <MenuItem value="">Any</MenuItem>
      {options.map(o => (
        <MenuItem key={o} value={o}>
          {o}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Stack spacing={2}>
      <Stack
        direction="row"
        spacing={2}
        useFlexGap
        flexWrap="wrap"
        component="form"
        role="search"
        aria-label="Filter operations"
        onSubmit={e => {
          e.preventDefault();
          change({ createdBy: who.trim() || undefined });
        }}
      >
        {select('Cluster', 'cluster', clusters)}
        {select('Mesh', 'mesh', meshes)}
        {select('State', 'state', STATES)}
        <TextField
          size="small"
          label="Started by"
          placeholder="user:default/ann"
          value={who}
          onChange={e => setWho(e.target.value)}
          onBlur={() => change({ createdBy: who.trim() || undefined })}
        />
        <Button type="submit" variant="outlined" size="small">
          Apply
        </Button>
      </Stack>
      {list.error && (
        <ResponseErrorPanel error={list.error} title="Operations" />
      )}
      {list.loading && !list.value && <Progress />}
      {list.value && (
        <TableContainer component={Paper} variant="outlined">
          <Table
            size="small"
            data-testid="operations-table"
            aria-label="Operations"
          >
            <TableHead>
              <TableRow>
                <TableCell>Operation</TableCell>
                <TableCell sx={noWrap}>Cluster</TableCell>
                <TableCell sx={noWrap}>Mesh</TableCell>
                <TableCell sx={noWrap}>State</TableCell>
                <TableCell sx={noWrap}>Started by</TableCell>
                <TableCell sx={noWrap}>Created</TableCell>
                <TableCell sx={noWrap}>Duration</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.value.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={7}>
                    <Typography variant="body2" color="text.secondary">
                      No operations match.
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
              {list.value.items.map(op => (
                <TableRow
                  key={op.id}
                  hover
                  data-testid={`operation-row-${op.id}`}
                >
                  <TableCell>
                    <Button
                      size="small"
                      onClick={() => onOpen(op.id)}
                      sx={{ textTransform: 'none', textAlign: 'left' }}
                    >
                      {op.summary}
                    </Button>
                  </TableCell>
                  <TableCell sx={noWrap}>{op.cluster}</TableCell>
                  <TableCell sx={noWrap}>{op.mesh}</TableCell>
                  <TableCell sx={noWrap}>{op.state}</TableCell>
                  <TableCell sx={noWrap}>
                    {op.createdBy}
                    {op.cause && (
                      <Typography variant="caption" component="div">
                        <OperationCauseText operation={op} />
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell sx={noWrap}>
                    {new Date(op.createdAt).toLocaleString()}
                  </TableCell>
                  <TableCell sx={noWrap}>
                    {op.startedAt && op.finishedAt
                      ? `${Math.round(
                          (Date.parse(op.finishedAt) -
                            Date.parse(op.startedAt)) /
                            1000,
                        )} s`
                      : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
        <Button
          size="small"
          disabled={page === 0}
          onClick={() => setPage(p => p - 1)}
        >
          Previous page
        </Button>
        <Typography variant="body2" aria-live="polite">
          Page {page + 1}
        </Typography>
        <Button
          size="small"
          disabled={!list.value?.more}
          onClick={() => setPage(p => p + 1)}
        >
          Next page
        </Button>
      </Box>
    </Stack>
  );
}
