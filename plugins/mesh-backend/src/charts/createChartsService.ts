import type {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { AdapterRegistry } from '../adapters/AdapterRegistry';
import { readChartsConfig } from './config';
import { ChartsService } from './ChartsService';

export interface ChartsServiceDeps {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  adapters: AdapterRegistry;
  /** What earlier operations applied (for pruning upgrades). */
  appliedObjects?: (cluster: string, mesh: string) => Promise<KubeObject[]>;
}

/**
 * Builds the charts service from `mesh.charts`, loads the cached indexes, schedules their
 * refresh (`mesh.charts.indexRefresh`, local to this instance: each keeps its own copy), and
 * returns it with the registry of adapters as the rest of the backend must see them
 * ({@link ChartsService.decorate}).
 */
export async function createChartsService(
  deps: ChartsServiceDeps,
): Promise<{ charts: ChartsService; adapters: AdapterRegistry }> {
  const config = readChartsConfig(deps.config);
  const charts = new ChartsService({
    config,
    logger: deps.logger,
    appliedObjects: deps.appliedObjects,
  });
  const list = deps.adapters.list();
  await charts.register(list);
  const adapters = new AdapterRegistry();
  adapters.add(...list.map(a => charts.decorate(a)));
  const declared = list.filter(a => a.charts).map(a => a.id);
  if (config.source === 'helm' && declared.length > 0) {
    await deps.scheduler.scheduleTask({
      id: 'mesh-charts-index-refresh',
      ...config.indexRefresh,
      fn: async () => {
        await charts.refresh();
      },
    });
  }
  deps.logger.info(
    `Mesh charts: source ${config.source}${
      config.source === 'helm'
        ? ` for [${declared.join(', ')}], helm '${config.helmBinary}', cache ${
            config.cacheDir
          }`
        : ''
    }`,
  );
  return { charts, adapters };
}
