import type { FleetCell } from '@meshstage/plugin-mesh-common';

/** A cell's health in one word, for its status icon. */
export type CellHealth = 'ok' | 'warning' | 'error' | 'absent' | 'running';

/** The cell's headline state and the problems worth a glance. Pure. */
export function cellHealth(cell: FleetCell): {
  health: CellHealth;
  label: string;
  problems: string[];
} {
  const problems: string[] = [];
  if (cell.error) problems.push(cell.error);
  const unhealthy = cell.components.filter(c => !c.healthy);
  if (unhealthy.length) {
    problems.push(
      `${unhealthy.length} unhealthy component${
        unhealthy.length === 1 ? '' : 's'
      }: ${unhealthy.map(c => c.name).join(', ')}`,
    );
  }
  if (cell.drift?.drifted) {
    problems.push(
      `drift: ${cell.drift.modified} modified, ${cell.drift.missing} missing`,
    );
  }
  if (cell.coverage.outdatedProxies) {
    problems.push(`${cell.coverage.outdatedProxies} outdated proxies`);
  }
  for (const c of cell.conflicts ?? []) problems.push(c.message);
  if (cell.interruptedOperations?.length) {
    problems.push(
      `${cell.interruptedOperations.length} interrupted operation${
        cell.interruptedOperations.length === 1 ? '' : 's'
      }`,
    );
  }

  if (cell.activeOperation) {
    return {
      health: 'running',
      label: `${cell.activeOperation.action} ${cell.activeOperation.state}`,
      problems,
    };
  }
  if (cell.error) return { health: 'error', label: 'unknown', problems };
  if (!cell.installed)
    return { health: 'absent', label: 'not installed', problems };
  const bad = unhealthy.length > 0 || (cell.conflicts?.length ?? 0) > 0;
  return {
    health: (bad && 'error') || (problems.length ? 'warning' : 'ok'),
    label: 'installed',
    problems,
  };
}

/** "2/3 pods meshed" with the share, or undefined when there are no pods. */
export function coverageLabel(cell: FleetCell): string | undefined {
  const { pods, meshedPods } = cell.coverage;
  if (!pods) return undefined;
  return `${meshedPods}/${pods} pods meshed (${Math.round(
    (100 * meshedPods) / pods,
  )}%)`;
}

/** Whether the grid should poll faster: something is running. */
export function fleetBusy(cells: FleetCell[]): boolean {
  return cells.some(c => c.activeOperation);
}
