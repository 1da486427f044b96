import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Knex } from 'knex';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClients } from '../cluster';
import type { EntityLookup } from './EntityLookup';

/**
 * What the plugin hands each feature (lifecycle operations, validation, benchmarks): the core
 * services, the plugin's migrated database, its adapters and clusters. A feature's options pick
 * the ones it uses.
 */
export interface MeshFeatureDeps {
  config: RootConfigService;
  logger: LoggerService;
  knex: Knex;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  /** Entity routes' entities, cached briefly, with the caller's catalog read permission checked. */
  entities: EntityLookup;
  auth: AuthService;
  adapters: AdapterRegistry;
  clusters: ClusterClients;
}
