import type {
  MeshAdapter,
  MeshTrafficMetrics,
  MeshTrafficQueryOptions,
} from '@meshstage/plugin-mesh-node';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createTrafficSource } from '.';
import type { PrometheusTrafficConfig } from './config';
import { PrometheusTrafficSource } from './PrometheusTrafficSource';
import {
  type FakeAnswer,
  type FakePrometheus,
  type ReceivedQuery,
  startFakePrometheus,
  vector,
} from './__testUtils__/fakePrometheus';

/**
 * A mesh whose queries are recognisable words (`<mesh>:rate[5m]`, `<mesh>:p99[5m]`, with the
 * options appended), so that the fake Prometheus can answer each with canned series.
 */
function fakeMetrics(mesh: string): MeshTrafficMetrics {
  const suffix = (o?: MeshTrafficQueryOptions) =>
    o ? ` matchers=${o.matchers} by=${o.by?.join(',')}` : '';
  return {
    labels: {
      sourceNamespace: 'src_ns',
      sourceWorkload: 'src',
      destinationNamespace: 'dst_ns',
      destinationWorkload: 'dst',
      destinationService: 'svc',
    },
    requestRate: (w, o) => `${mesh}:rate[${w}]${suffix(o)}`,
    errorRate: (w, o) => `${mesh}:errors[${w}]${suffix(o)}`,
    latencyQuantile: (q, w, o) => `${mesh}:p${q * 100}[${w}]${suffix(o)}`,
  };
}

function adapter(id: string, withMetrics = true): MeshAdapter {
  return {
    id,
    displayName: id,
    supportedVersions: () => [],
    detect: async () => {
      throw new Error('not used');
    },
    injection: {
      namespaceEnabled: () => ({ enabled: false }),
      proxyContainerNames: [],
    },
    ...(withMetrics ? { trafficMetrics: fakeMetrics(id) } : {}),
  };
}

const edge = (
  src: string,
  dst: string,
  extra: Record<string, string> = {},
) => ({ src_ns: 'shop', src, dst_ns: 'shop', dst, svc: dst, ...extra });

/** Canned answers by query word: `{ 'istio:rate': [...] }`. */
type Canned = Record<
  string,
  Array<{ metric: Record<string, string>; value: string }>
>;

function answerFrom(canned: Canned) {
  return (q: ReceivedQuery): FakeAnswer => {
    const word = q.form.query.split('[')[0];
    return vector(canned[word] ?? []);
  };
}

function config(
  url: string,
  extra: Partial<PrometheusTrafficConfig> = {},
): PrometheusTrafficConfig {
  return { url, timeoutMs: 10_000, window: '5m', headers: {}, ...extra };
}

describe('PrometheusTrafficSource', () => {
  let fake: FakePrometheus | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('runs four queries per mesh with traffic metrics and joins them by edge', async () => {
    fake = await startFakePrometheus(
      answerFrom({
        'istio:rate': [
          { metric: edge('web', 'api'), value: '10' },
          { metric: edge('api', 'db'), value: '4' },
          // No histogram observations, no errors.
          { metric: edge('web', 'cache'), value: '2' },
          // A counter that did not move: still an observed edge.
          { metric: edge('cron', 'api'), value: '0' },
          // Not a number: no edge.
          { metric: edge('odd', 'api'), value: 'NaN' },
        ],
        'istio:errors': [
          { metric: edge('web', 'api'), value: '0.5' },
          { metric: edge('api', 'db'), value: '1' },
          // Errors without a rate series are ignored.
          { metric: edge('ghost', 'api'), value: '3' },
        ],
        'istio:p50': [
          { metric: edge('web', 'api'), value: '12.5' },
          { metric: edge('api', 'db'), value: '3' },
          { metric: edge('web', 'cache'), value: 'NaN' },
        ],
        'istio:p99': [
          { metric: edge('web', 'api'), value: '98.75' },
          { metric: edge('api', 'db'), value: '+Inf' },
          { metric: edge('web', 'cache'), value: 'NaN' },
        ],
      }),
    );
    const source = new PrometheusTrafficSource({
      config: config(fake.url),
      adapters: [adapter('istio'), adapter('plain', false)],
    });
    expect(source.kind).toBe('prometheus');
    expect(source.defaultWindow).toBe('5m');

    const samples = await source.read({ clusters: ['dev'], window: '30s' });
    expect(fake.received.map(r => r.form.query).sort()).toEqual([
      'istio:errors[30s]',
      'istio:p50[30s]',
      'istio:p99[30s]',
      'istio:rate[30s]',
    ]);
    expect(samples).toEqual([
      {
        mesh: 'istio',
        cluster: 'dev',
        source: { namespace: 'shop', workload: 'api' },
        destination: { namespace: 'shop', workload: 'db' },
        destinationService: 'db',
        traffic: { requestsPerSecond: 4, errorRatio: 0.25, p50Ms: 3 },
      },
      {
        mesh: 'istio',
        cluster: 'dev',
        source: { namespace: 'shop', workload: 'cron' },
        destination: { namespace: 'shop', workload: 'api' },
        destinationService: 'api',
        traffic: { requestsPerSecond: 0, errorRatio: 0 },
      },
      {
        mesh: 'istio',
        cluster: 'dev',
        source: { namespace: 'shop', workload: 'web' },
        destination: { namespace: 'shop', workload: 'api' },
        destinationService: 'api',
        traffic: {
          requestsPerSecond: 10,
          errorRatio: 0.05,
          p50Ms: 12.5,
          p99Ms: 98.75,
        },
      },
      {
        mesh: 'istio',
        cluster: 'dev',
        source: { namespace: 'shop', workload: 'web' },
        destination: { namespace: 'shop', workload: 'cache' },
        destinationService: 'cache',
        traffic: { requestsPerSecond: 2, errorRatio: 0 },
      },
    ]);
  });

  it('keeps edges apart by Service and names peers the mesh could not name unknown', async () => {
    fake = await startFakePrometheus(
      answerFrom({
        'linkerd:rate': [
          { metric: edge('web', 'api', { svc: 'api' }), value: '1' },
          { metric: edge('web', 'api', { svc: 'api-canary' }), value: '2' },
          { metric: { src_ns: 'shop', src: 'web', dst: '' }, value: '3' },
        ],
        'linkerd:errors': [
          { metric: edge('web', 'api', { svc: 'api-canary' }), value: '1' },
        ],
      }),
    );
    const samples = await new PrometheusTrafficSource({
      config: config(fake.url),
      adapters: [adapter('linkerd')],
    }).read({ clusters: ['dev'], window: '5m' });
    expect(
      samples.map(s => [
        s.destination.namespace,
        s.destination.workload,
        s.destinationService,
        s.traffic.requestsPerSecond,
        s.traffic.errorRatio,
      ]),
    ).toEqual([
      ['shop', 'api', 'api', 1, 0],
      ['shop', 'api', 'api-canary', 2, 0.5],
      ['unknown', 'unknown', undefined, 3, 0],
    ]);
  });

  it('without a cluster label, reports the same samples for every served cluster asked for', async () => {
    fake = await startFakePrometheus(
      answerFrom({
        'istio:rate': [{ metric: edge('web', 'api'), value: '1' }],
      }),
    );
    const source = new PrometheusTrafficSource({
      config: config(fake.url, { clusters: ['dev', 'prod'] }),
      adapters: [adapter('istio')],
    });
    const samples = await source.read({
      clusters: ['prod', 'staging', 'dev'],
      window: '5m',
    });
    expect(samples.map(s => s.cluster)).toEqual(['dev', 'prod']);
    // No cluster matchers: this Prometheus holds those clusters' metrics only.
    expect(fake.received[0].form.query).toBe('istio:rate[5m]');
  });

  it('asks nothing when none of the clusters is served', async () => {
    fake = await startFakePrometheus(() => vector([]));
    const source = new PrometheusTrafficSource({
      config: config(fake.url, { clusters: ['prod'] }),
      adapters: [adapter('istio')],
    });
    await expect(
      source.read({ clusters: ['dev'], window: '5m' }),
    ).resolves.toEqual([]);
    await expect(source.read({ clusters: [], window: '5m' })).resolves.toEqual(
      [],
    );
    expect(fake.received).toEqual([]);
  });

  it('with a cluster label, narrows every query to the clusters asked for and splits by it', async () => {
    fake = await startFakePrometheus(
      answerFrom({
        'istio:rate': [
          { metric: edge('web', 'api', { k8s_cluster: 'east' }), value: '1' },
          { metric: edge('web', 'api', { k8s_cluster: 'west' }), value: '2' },
          // A cluster not asked for (a regex that matched more than meant): dropped.
          {
            metric: edge('web', 'api', { k8s_cluster: 'eastern' }),
            value: '9',
          },
        ],
        'istio:errors': [
          { metric: edge('web', 'api', { k8s_cluster: 'west' }), value: '1' },
        ],
        'istio:p99': [
          { metric: edge('web', 'api', { k8s_cluster: 'east' }), value: '7' },
        ],
      }),
    );
    const samples = await new PrometheusTrafficSource({
      config: config(fake.url, { clusterLabel: 'k8s_cluster' }),
      adapters: [adapter('istio')],
    }).read({ clusters: ['west', 'east'], window: '1m' });
    expect(fake.received.map(r => r.form.query)).toContain(
      'istio:rate[1m] matchers=k8s_cluster=~"west|east" by=k8s_cluster',
    );
    expect(
      samples.map(s => [
        s.cluster,
        s.traffic.requestsPerSecond,
        s.traffic.errorRatio,
        s.traffic.p99Ms,
      ]),
    ).toEqual([
      ['east', 1, 0, 7],
      ['west', 2, 0.5, undefined],
    ]);
  });

  it('rejects a malformed window without asking Prometheus', async () => {
    fake = await startFakePrometheus(() => vector([]));
    const source = new PrometheusTrafficSource({
      config: config(fake.url),
      adapters: [adapter('istio')],
    });
    await expect(
      source.read({ clusters: ['dev'], window: '5 minutes' }),
    ).rejects.toThrow(
      "Traffic window '5 minutes' is not a Prometheus duration such as '5m' or '1h'",
    );
    expect(fake.received).toEqual([]);
  });

  it('asks for errors and latencies at the rates’ evaluation time, and not at all without rates', async () => {
    fake = await startFakePrometheus(q =>
      q.form.query.startsWith('istio:rate')
        ? vector([{ metric: edge('web', 'api'), value: '1' }])
        : vector([]),
    );
    await new PrometheusTrafficSource({
      config: config(fake.url),
      adapters: [adapter('istio'), adapter('linkerd')],
    }).read({ clusters: ['dev'], window: '5m' });
    const asked = fake.received
      .map(r => [r.form.query, r.form.time])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(asked).toEqual([
      ['istio:errors[5m]', '1700000000.123'],
      ['istio:p50[5m]', '1700000000.123'],
      ['istio:p99[5m]', '1700000000.123'],
      ['istio:rate[5m]', undefined],
      // No Linkerd edges: nothing more to ask.
      ['linkerd:rate[5m]', undefined],
    ]);
  });

  it('rejects with the failing query’s message and cancels the others', async () => {
    fake = await startFakePrometheus(q => {
      if (q.form.query.startsWith('linkerd:rate')) {
        return vector([{ metric: edge('web', 'api'), value: '1' }]);
      }
      if (q.form.query.startsWith('linkerd:p99')) {
        return {
          status: 422,
          body: {
            status: 'error',
            errorType: 'execution',
            error: 'query processing would load too many samples into memory',
          },
        };
      }
      return 'hang';
    });
    const source = new PrometheusTrafficSource({
      config: config(fake.url),
      adapters: [adapter('istio'), adapter('linkerd')],
    });
    await expect(
      source.read({ clusters: ['dev'], window: '5m' }),
    ).rejects.toThrow(
      `Prometheus at ${fake.url} rejected the linkerd p99 latency query: query processing would load too many samples into memory (execution)`,
    );
    // The other queries were cancelled: every one left waiting at the server (on a slow machine
    // some are cancelled before they are sent) is closed without an answer.
    const pending = () => fake!.received.length - 2;
    const deadline = Date.now() + 30_000;
    while (fake.abandoned() < pending() && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(fake.abandoned()).toBe(pending());
  });
});

describe('createTrafficSource', () => {
  it('is undefined without mesh.metrics.prometheus', () => {
    expect(
      createTrafficSource({
        config: new ConfigReader({}),
        logger: mockServices.logger.mock(),
        adapters: [adapter('istio')],
      }),
    ).toBeUndefined();
  });

  it('builds a Prometheus source and says so in the log', () => {
    const logger = mockServices.logger.mock();
    const source = createTrafficSource({
      config: new ConfigReader({
        mesh: {
          metrics: {
            prometheus: {
              url: 'http://prometheus:9090',
              window: '10m',
              bearerToken: 'tok-secret',
            },
          },
        },
      }),
      logger,
      adapters: [adapter('istio'), adapter('plain', false)],
    });
    expect(source).toBeInstanceOf(PrometheusTrafficSource);
    expect(source?.defaultWindow).toBe('10m');
    const logged = JSON.stringify(logger.info.mock.calls);
    expect(logged).toContain('Prometheus at http://prometheus:9090');
    expect(logged).toContain('meshes istio');
    expect(logged).not.toContain('tok-secret');
  });

  it('stops startup on a malformed configuration, naming the key', () => {
    expect(() =>
      createTrafficSource({
        config: new ConfigReader({
          mesh: {
            metrics: { prometheus: { url: 'http://p', window: 'later' } },
          },
        }),
        logger: mockServices.logger.mock(),
        adapters: [],
      }),
    ).toThrow(/mesh\.metrics\.prometheus\.window/);
  });
});
