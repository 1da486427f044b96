import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { MeshApi } from './MeshApi';
import { MeshHttp } from './MeshHttp';
import { StatusClient } from './StatusClient';
import { OperationsClient } from './OperationsClient';
import { BenchmarkClient } from './BenchmarkClient';
import { ValidationClient } from './ValidationClient';
import { TopologyClient } from './TopologyClient';

type Methods<T> = { [K in keyof T]: T[K] };

/**
 * {@link MeshApi} over HTTP: finds the backend with the discovery API and calls it with the
 * fetch API, so requests carry the user's Backstage token. Each area's methods live in their
 * own client class (StatusClient, OperationsClient, BenchmarkClient, ValidationClient,
 * TopologyClient); this class exposes them all, bound, as one object.
 * @public
 */
export class MeshClient {
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    const http = new MeshHttp(options);
    for (const part of [
      new StatusClient(http),
      new OperationsClient(http),
      new BenchmarkClient(http),
      new ValidationClient(http),
      new TopologyClient(http),
    ]) {
      const proto = Object.getPrototypeOf(part);
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor') continue;
        const value = (part as any)[name];
        if (typeof value !== 'function') continue;
        if (name in this)
          throw new Error(`MeshClient: two clients define ${name}`);
        (this as any)[name] = value.bind(part);
      }
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MeshClient extends Methods<MeshApi> {}
