import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { MeshAdapter } from './adapter';

/**
 * Lets backend modules contribute mesh adapters to the mesh backend plugin.
 * @public
 */
export interface MeshAdaptersExtensionPoint {
  /**
   * Registers adapters. Ids must be unique across all modules; the backend refuses to start on a
   * duplicate rather than pick one silently.
   */
  addAdapter(...adapters: MeshAdapter[]): void;
}

/**
 * The extension point through which modules register {@link MeshAdapter}s with the `mesh`
 * backend plugin.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'mesh',
 *   moduleId: 'istio',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { adapters: meshAdaptersExtensionPoint },
 *       async init({ adapters }) {
 *         adapters.addAdapter(new IstioAdapter());
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const meshAdaptersExtensionPoint =
  createExtensionPoint<MeshAdaptersExtensionPoint>({
    id: 'mesh.adapters',
  });
