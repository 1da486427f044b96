import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { MeshApiClient } from '../api/MeshApiClient';

/**
 * What every MeshStage scaffolder action needs: the core services it reaches the mesh backend
 * with. The module passes the scaffolder plugin's own.
 * @public
 */
export interface MeshActionOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** How often waits poll the mesh backend. Default 1 s. */
  pollIntervalMs?: number;
}

/** The default ceiling of a wait for an operation or a benchmark run: 30 minutes. */
export const DEFAULT_TIMEOUT_SECONDS = 1800;

/** A client of the mesh backend acting for the user who runs the template. */
export function meshClientFor(
  options: MeshActionOptions,
  ctx: { getInitiatorCredentials(): Promise<BackstageCredentials> },
): MeshApiClient {
  return new MeshApiClient({
    discovery: options.discovery,
    auth: options.auth,
    credentials: () => ctx.getInitiatorCredentials(),
  });
}
