import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type {
  BenchmarkProfile,
  BenchmarkRunView,
} from '@meshstage/plugin-mesh-common';
import { MeshApi, meshApiRef } from '../../../api';
import { EntityPerformanceContent } from '../EntityPerformanceContent';

/* Shared by the Performance tab's test files: an echo entity, its profile and runs, a fake API. */

export const echo: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'echo',
    annotations: {
      'backstage.io/kubernetes-id': 'echo',
      'meshstage.io/mesh': 'linkerd',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

export const profile: BenchmarkProfile = {
  id: 'p1',
  name: 'echo in-cluster',
  entityRef: 'component:default/echo',
  endpoints: [{ url: 'http://echo.echo.svc.cluster.local:8080/' }],
  protocol: 'http1',
  engine: 'undici',
  connections: 4,
  rate: 0,
  duration: '3s',
  warmup: '500ms',
  threads: 1,
  jitter: 0,
  loadGenerator: 'meshstage',
  inCluster: { cluster: 'dev', namespace: 'echo', pods: 2 },
  createdBy: 'user:default/guest',
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T10:00:00Z',
};

export const latency = {
  min: 0.429,
  mean: 2.357,
  stddev: 3.263,
  p50: 1.674,
  p75: 2.591,
  p90: 4.311,
  p99: 11.951,
  p999: 57.407,
  p9999: 88.255,
  max: 88.255,
};

export const environment = {
  runner: 'in-cluster',
  loadgenVersion: 'meshstage/loadgen',
  nodeVersion: 'in-cluster',
  hostname: 'dev/echo',
  threads: 1,
  pods: 2,
  simulatedProxies: {
    cluster: 'dev',
    reason:
      'node kube-sim of cluster dev reports container runtime kube-sim://simulated',
  },
};

export function summary(p99 = latency.p99, rps = 1684.67) {
  return {
    startTime: '2026-12-01T10:00:00Z',
    endTime: '2026-12-01T10:00:03Z',
    durationMs: 3000,
    requestedRps: 0,
    actualRps: rps,
    requests: {
      total: 5054,
      ok: 5054,
      failed: 0,
      perSecond: rps,
      errorRate: 0,
    },
    latencyMs: { ...latency, p99 },
    statusCodes: { '200': 5054 },
    errors: { timeout: 0, reset: 0, refused: 0, other: 0, total: 0 },
    bytes: { sent: 0, received: 0, headers: 0 },
    timeSeries: [],
    environment,
  };
}

export const run = (
  id: string,
  extra: Partial<BenchmarkRunView> = {},
): BenchmarkRunView => ({
  id,
  profileId: 'p1',
  entityRef: 'component:default/echo',
  state: 'succeeded',
  trigger: 'manual',
  profile,
  createdBy: 'user:default/guest',
  createdAt: `2026-12-0${id.length % 9}T10:00:00Z`,
  result: summary(),
  ...extra,
});

export function histogram(): string {
  const h = build({ numberOfSignificantValueDigits: 3 });
  for (let i = 1; i <= 1000; i++) h.recordValue(i * 10);
  return encodeIntoCompressedBase64(h);
}

export function api(overrides: Partial<MeshApi> = {}): MeshApi {
  return {
    listBenchmarkProfiles: async () => [profile],
    listBenchmarkRuns: async () => [],
    streamBenchmarkRunEvents: async () => {},
    ...overrides,
  } as MeshApi;
}

export async function render(
  meshApi: MeshApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [meshApiRef, meshApi],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <EntityProvider entity={echo}>
        <EntityPerformanceContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** Waits until a button is enabled (permissions resolve after the first render), then clicks it. */
export async function clickWhenEnabled(name: string) {
  await waitFor(() =>
    expect(screen.getAllByRole('button', { name })[0]).toBeEnabled(),
  );
  fireEvent.click(screen.getAllByRole('button', { name })[0]);
}
