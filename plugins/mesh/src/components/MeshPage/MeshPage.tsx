import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useSearchParams } from 'react-router-dom';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FleetCell } from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import { useFleetPermissions } from '../../hooks/useFleetPermissions';
import { usePolling } from '../../hooks/usePolling';
import type { FleetAction } from '../../lib/fleetActions';
import { fleetBusy } from '../../lib/fleetGrid';
import { ActionDialog } from './ActionDialog';
import { ComparisonPanel } from './ComparisonPanel';
import { DriftPanel } from './DriftPanel';
import { FleetGrid } from './FleetGrid';
import { OperationDetailDialog } from './OperationDetailDialog';
import { OperationsPanel } from './OperationsPanel';

const TABS = [
  { id: 'fleet', label: 'Fleet' },
  { id: 'operations', label: 'Operations' },
  { id: 'drift', label: 'Drift' },
  { id: 'comparison', label: 'Mesh comparison' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** Props of {@link MeshPageContent}. */
export interface MeshPageContentProps {
  /** How often the grid refreshes; faster while an operation runs. Default 15 s / 3 s. */
  pollIntervalMs?: number;
  busyPollIntervalMs?: number;
  /** Passed to operation logs: wait before reconnecting a broken stream. */
  retryDelayMs?: number;
}

/**
 * The platform team's page: the fleet grid (clusters by meshes) with lifecycle actions, the
 * operation history, drift and the mesh comparison, as tabs (`?tab=`).
 */
export function MeshPageContent(props: MeshPageContentProps) {
  const { pollIntervalMs = 15_000, busyPollIntervalMs = 3_000 } = props;
  const meshApi = useApi(meshApiRef);
  const [params, setParams] = useSearchParams();
  const tab: TabId = (TABS.find(t => t.id === params.get('tab'))?.id ??
    'fleet') as TabId;
  const permissions = useFleetPermissions();
  const adapters = useAsyncRetry(() => meshApi.getAdapters(), [meshApi]);
  const fleet = useAsyncRetry(() => meshApi.getFleet(), [meshApi]);
  const [action, setAction] = useState<{
    action: FleetAction;
    cell: FleetCell;
  }>();
  const [operationId, setOperationId] = useState<string>();
  const refresh = fleet.retry;

  const cells = fleet.value?.clusters.flatMap(c => c.meshes) ?? [];
  usePolling(
    useCallback(() => refresh(), [refresh]),
    fleetBusy(cells) ? busyPollIntervalMs : pollIntervalMs,
  );

  const reconcile = (target: { cluster: string; mesh: string }) => {
    const cell = cells.find(
      c => c.cluster === target.cluster && c.mesh === target.mesh,
    );
    if (cell) setAction({ action: 'reconcile', cell });
  };

  return (
    <Stack spacing={2}>
      <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
        <Tabs
          value={tab}
          onChange={(_, value) => setParams({ tab: value }, { replace: true })}
          aria-label="Service mesh sections"
        >
          {TABS.map(t => (
            <Tab
              key={t.id}
              value={t.id}
              label={t.label}
              id={`mesh-tab-${t.id}`}
              aria-controls={`mesh-tabpanel-${t.id}`}
            />
          ))}
        </Tabs>
      </Box>
      <Box
        role="tabpanel"
        id={`mesh-tabpanel-${tab}`}
        aria-labelledby={`mesh-tab-${tab}`}
      >
        {tab === 'fleet' && (
          <>
            {fleet.loading && !fleet.value && <Progress />}
            {fleet.error && (
              <ResponseErrorPanel
                error={fleet.error}
                title="Could not read the fleet"
              />
            )}
            {fleet.value && fleet.value.clusters.length === 0 && (
              <Typography variant="body2" color="text.secondary">
                No clusters are configured (kubernetes.clusterLocatorMethods).
              </Typography>
            )}
            {fleet.value && fleet.value.meshes.length === 0 && (
              <Typography variant="body2" color="text.secondary">
                No mesh adapters are installed in the backend.
              </Typography>
            )}
            {fleet.value && fleet.value.clusters.length > 0 && (
              <>
                <FleetGrid
                  fleet={fleet.value}
                  adapters={adapters.value ?? []}
                  permissions={permissions}
                  onAction={(a, cell) => setAction({ action: a, cell })}
                  onOpenOperation={setOperationId}
                />
                <Typography variant="caption" color="text.secondary">
                  Updated{' '}
                  {new Date(fleet.value.generatedAt).toLocaleTimeString()}
                </Typography>
              </>
            )}
          </>
        )}
        {tab === 'operations' && (
          <OperationsPanel
            clusters={fleet.value?.clusters.map(c => c.name) ?? []}
            meshes={fleet.value?.meshes ?? []}
            onOpen={setOperationId}
          />
        )}
        {tab === 'drift' && (
          <DriftPanel
            targets={cells
              .filter(c => c.installed || c.drift)
              .map(c => ({ cluster: c.cluster, mesh: c.mesh }))}
            onReconcile={reconcile}
            reconcileDeniedReason={
              permissions.reconcile.allowed
                ? undefined
                : permissions.reconcile.reason
            }
          />
        )}
        {tab === 'comparison' && <ComparisonPanel />}
      </Box>
      {action && (
        <ActionDialog
          key={`${action.action}-${action.cell.cluster}-${action.cell.mesh}`}
          action={action.action}
          cell={action.cell}
          adapter={adapters.value?.find(a => a.id === action.cell.mesh)}
          deniedReason={
            permissions[action.action].allowed
              ? undefined
              : permissions[action.action].reason
          }
          retryDelayMs={props.retryDelayMs}
          onClose={() => {
            setAction(undefined);
            refresh();
          }}
          onChanged={refresh}
        />
      )}
      {operationId && (
        <OperationDetailDialog
          operationId={operationId}
          permissions={permissions}
          retryDelayMs={props.retryDelayMs}
          onClose={() => {
            setOperationId(undefined);
            refresh();
          }}
          onChanged={refresh}
        />
      )}
    </Stack>
  );
}

/** The page for classic apps (`<Route path="/mesh" element={<MeshFleetPage />} />`): header and content. */
export function MeshPage(props: MeshPageContentProps) {
  return (
    <Page themeId="tool">
      <Header
        title="Service mesh"
        subtitle="Meshes across clusters: install, upgrade, drift and comparison"
      />
      <Content>
        <MeshPageContent {...props} />
      </Content>
    </Page>
  );
}
