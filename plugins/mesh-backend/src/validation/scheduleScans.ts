import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClients } from '../cluster';
import type { ValidationConfig } from './config';
import type { ValidationService } from './ValidationService';
import type { ScanSummary } from './ValidationStore';

/** The scheduler task id of the scan of every cluster. */
export const VALIDATION_SCAN_TASK_ID = 'mesh-validation-scan';

/**
 * Scans every configured cluster, one after the other (a scan lists many kinds; clusters in
 * parallel would multiply the load on the backend for no user waiting). One cluster failing is
 * stored as its failed scan and does not stop the others.
 */
export async function scanAllClusters(deps: {
  clusters: ClusterClients;
  adapters: AdapterRegistry;
  validation: ValidationService;
}): Promise<ScanSummary[]> {
  const scans: ScanSummary[] = [];
  for (const name of deps.clusters.names()) {
    scans.push(
      await deps.validation.scanCluster(
        // Scans read every kind they check once: directly, not into the watch-kept view.
        deps.clusters.live(name)!,
        deps.adapters.list(),
        'schedule',
      ),
    );
  }
  return scans;
}

/** Schedules {@link scanAllClusters} per `mesh.validation.schedule`, unless disabled. */
export async function scheduleValidationScans(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: Pick<ValidationConfig, 'enabled' | 'schedule'>;
  clusters: ClusterClients;
  adapters: AdapterRegistry;
  validation: ValidationService;
}): Promise<void> {
  if (!deps.config.enabled) {
    deps.logger.info(
      'Scheduled validation scans are off (mesh.validation.enabled: false)',
    );
    return;
  }
  await deps.scheduler.scheduleTask({
    id: VALIDATION_SCAN_TASK_ID,
    ...deps.config.schedule,
    fn: async () => {
      await scanAllClusters(deps);
    },
  });
}
