import type { ReactNode } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';

/** A small accessible table: a caption (its name), headers and rows of cells. */
export function SimpleTable(props: {
  caption: string;
  headers: ReactNode[];
  rows: { key: string; cells: ReactNode[] }[];
  testId?: string;
}) {
  return (
    <Table size="small" aria-label={props.caption} data-testid={props.testId}>
      <TableHead>
        <TableRow>
          {props.headers.map((h, i) => (
            <TableCell key={i} component="th" scope="col">
              {h}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(r => (
          <TableRow key={r.key}>
            {r.cells.map((c, i) => (
              <TableCell key={i}>{c}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
