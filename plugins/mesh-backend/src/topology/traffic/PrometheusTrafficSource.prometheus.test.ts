import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import type { PrometheusTrafficConfig } from './config';
import { PrometheusTrafficSource } from './PrometheusTrafficSource';
import type { TrafficEdgeSample } from './types';
import {
  type ExporterSeries,
  type MeshExporter,
  startMeshExporter,
} from './__testUtils__/meshExporter';
import {
  PROMETHEUS_BINARY,
  type PrometheusServer,
  freePort,
  httpGet,
  prometheusAvailable,
  startPrometheus,
} from './__testUtils__/prometheusServer';

/**
 * The traffic source against a real Prometheus (Debian's `prometheus`), scraping every second an
 * exporter that serves Istio- and Linkerd-shaped series with known rates, failure shares and
 * latency buckets. Two scrape jobs stand for two clusters (`cluster="east"` / `"west"` target
 * labels). Rates are asserted within a tolerance (rate() extrapolates at the window's edges);
 * error ratios and quantiles come from series of one scrape, so they are exact but for floats.
 */

jest.setTimeout(240_000);

const hasPrometheus = prometheusAvailable();
if (!hasPrometheus) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the real-Prometheus traffic test: no executable at ${PROMETHEUS_BINARY} (apt-get install prometheus, or set MESHSTAGE_PROMETHEUS)`,
  );
}
const describeWithPrometheus = hasPrometheus ? describe : describe.skip;

const WINDOW = '30s';
const WINDOW_SECONDS = 30;
/** Relative tolerance of rates. */
const RATE_TOLERANCE = 0.05;

/**
 * Basic auth on the server (`--web.config.file`): the bcrypt hash is the example of Prometheus's
 * own guide ("Securing Prometheus API and UI endpoints using basic auth"), password `test`.
 */
const USERNAME = 'meshstage';
const PASSWORD = 'test';
const WEB_CONFIG = `basic_auth_users:\n  ${USERNAME}: $2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay\n`;
const AUTHORIZATION = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString(
  'base64',
)}`;

// Istio's and Linkerd's default latency buckets (milliseconds).
const ISTIO_BOUNDS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000, 600000, 1800000, 3600000,
];
const LINKERD_BOUNDS = [
  1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000,
  4000, 5000, 10000, 20000, 30000, 40000, 50000,
];

type Workload = [namespace: string, workload: string];

function istioLabels(
  reporter: 'source' | 'destination',
  [srcNs, src]: Workload,
  [dstNs, dst]: Workload,
  service: string,
  responseCode: string,
  grpcStatus = '',
): Record<string, string> {
  return {
    reporter,
    source_workload: src,
    source_workload_namespace: srcNs,
    source_app: src.replace(/-v\d+$/, ''),
    source_principal:
      src === 'unknown'
        ? 'unknown'
        : `spiffe://cluster.local/ns/${srcNs}/sa/${src}`,
    destination_workload: dst,
    destination_workload_namespace: dstNs,
    destination_service:
      dstNs === 'unknown' ? service : `${service}.${dstNs}.svc.cluster.local`,
    destination_service_name: service,
    destination_service_namespace: dstNs,
    request_protocol: grpcStatus ? 'grpc' : 'http',
    response_code: responseCode,
    ...(grpcStatus ? { grpc_response_status: grpcStatus } : {}),
    response_flags: '-',
    connection_security_policy:
      reporter === 'destination' ? 'mutual_tls' : 'unknown',
  };
}

/** `istio_requests_total` and `istio_request_duration_milliseconds` for one label set. */
function istio(
  labels: Record<string, string>,
  perSecond: number,
  shares: Record<number, number>,
  frozenHistogram = false,
): ExporterSeries[] {
  return [
    { name: 'istio_requests_total', labels, perSecond },
    {
      name: 'istio_request_duration_milliseconds',
      labels,
      perSecond,
      bounds: ISTIO_BOUNDS,
      shares,
      frozen: frozenHistogram,
    },
  ];
}

const productpage: Workload = ['bookinfo', 'productpage-v1'];
const reviews: Workload = ['bookinfo', 'reviews-v1'];
const ratings: Workload = ['bookinfo', 'ratings-v1'];
const unknown: Workload = ['unknown', 'unknown'];

/** 60 % of observations in (5, 10], 40 % in (50, 100]. */
const REVIEWS_LATENCY = { 10: 0.6, 100: 0.4 };

const ISTIO_EAST: ExporterSeries[] = [
  // productpage -> reviews, both proxies report. The server side (destination): 19/s 200 and
  // 1/s 503. The client side saw more failures (3/s 503) and slower responses: not used, and
  // not added (no double counting).
  ...istio(
    istioLabels('destination', productpage, reviews, 'reviews', '200'),
    19,
    REVIEWS_LATENCY,
  ),
  ...istio(
    istioLabels('destination', productpage, reviews, 'reviews', '503'),
    1,
    REVIEWS_LATENCY,
  ),
  ...istio(istioLabels('source', productpage, reviews, 'reviews', '200'), 19, {
    250: 1,
  }),
  ...istio(istioLabels('source', productpage, reviews, 'reviews', '503'), 3, {
    250: 1,
  }),

  // reviews -> ratings over gRPC: 8/s OK, 2/s UNAVAILABLE with HTTP 200, 1/s UNAVAILABLE with
  // HTTP 503 (a failure once, not twice). All in (10, 25].
  ...istio(
    istioLabels('destination', reviews, ratings, 'ratings', '200', '0'),
    8,
    { 25: 1 },
  ),
  ...istio(
    istioLabels('destination', reviews, ratings, 'ratings', '200', '14'),
    2,
    { 25: 1 },
  ),
  ...istio(
    istioLabels('destination', reviews, ratings, 'ratings', '503', '14'),
    1,
    { 25: 1 },
  ),
  ...istio(istioLabels('source', reviews, ratings, 'ratings', '200', '0'), 8, {
    250: 1,
  }),
  ...istio(istioLabels('source', reviews, ratings, 'ratings', '503', '14'), 4, {
    250: 1,
  }),

  // productpage -> httpbin.org, outside the mesh: only the client side reports. 4.5/s 200, 0.5/s
  // 503, all in (100, 250].
  ...istio(
    istioLabels('source', productpage, unknown, 'httpbin.org', '200'),
    4.5,
    { 250: 1 },
  ),
  ...istio(
    istioLabels('source', productpage, unknown, 'httpbin.org', '503'),
    0.5,
    { 250: 1 },
  ),

  // A caller outside the mesh -> productpage: only the server side reports; its histogram saw no
  // observation in the window (quantiles NaN, so absent).
  ...istio(
    istioLabels('destination', unknown, productpage, 'productpage', '200'),
    3,
    { 5: 1 },
    true,
  ),
];

function linkerdOutbound(
  source: { pod: string; kind: string; name: string },
  destination: { kind: string; name: string; service: string },
  classification: 'success' | 'failure',
  perSecond: number,
  shares: Record<number, number>,
): ExporterSeries[] {
  const labels = {
    direction: 'outbound',
    namespace: 'emojivoto',
    pod: source.pod,
    [source.kind]: source.name,
    authority: `${destination.service}.emojivoto.svc.cluster.local:8080`,
    dst_namespace: 'emojivoto',
    [`dst_${destination.kind}`]: destination.name,
    dst_pod: `${destination.name}-0`,
    dst_service: destination.service,
    dst_serviceaccount: destination.name,
    tls: 'true',
  };
  return [
    {
      name: 'response_total',
      labels: {
        ...labels,
        classification,
        status_code: classification === 'success' ? '200' : '500',
      },
      perSecond,
    },
    {
      name: 'response_latency_ms',
      labels: {
        ...labels,
        status_code: classification === 'success' ? '200' : '500',
      },
      perSecond,
      bounds: LINKERD_BOUNDS,
      shares,
    },
  ];
}

const WEB_1 = { pod: 'web-1', kind: 'deployment', name: 'web' };
const WEB_2 = { pod: 'web-2', kind: 'deployment', name: 'web' };
const VOTE_BOT = { pod: 'vote-bot-0', kind: 'statefulset', name: 'vote-bot' };
const EMOJI = { kind: 'deployment', name: 'emoji', service: 'emoji-svc' };
const VOTING = { kind: 'daemonset', name: 'voting', service: 'voting-svc' };
/** Half in (1, 2], half in (20, 30]. */
const WEB_LATENCY = { 2: 0.5, 30: 0.5 };

const LINKERD_EAST: ExporterSeries[] = [
  // web (two pods) -> emoji: 6/s + 3/s success, 1/s failure.
  ...linkerdOutbound(WEB_1, EMOJI, 'success', 6, WEB_LATENCY),
  ...linkerdOutbound(WEB_2, EMOJI, 'success', 3, WEB_LATENCY),
  ...linkerdOutbound(WEB_2, EMOJI, 'failure', 1, WEB_LATENCY),
  // The same requests as emoji's proxy counts them (inbound): must not count again.
  {
    name: 'response_total',
    labels: {
      direction: 'inbound',
      namespace: 'emojivoto',
      pod: 'emoji-0',
      deployment: 'emoji',
      authority: 'emoji-svc.emojivoto.svc.cluster.local:8080',
      classification: 'success',
      status_code: '200',
      tls: 'true',
    },
    perSecond: 10,
  },
  // vote-bot (a StatefulSet) -> voting (a DaemonSet): 1.5/s success, 0.5/s failure, in (3, 4].
  ...linkerdOutbound(VOTE_BOT, VOTING, 'success', 1.5, { 4: 1 }),
  ...linkerdOutbound(VOTE_BOT, VOTING, 'failure', 0.5, { 4: 1 }),
];

/** The west cluster has an edge of the same names: web -> emoji, 1/s, all in (1, 2]. */
const LINKERD_WEST: ExporterSeries[] = [
  ...linkerdOutbound(WEB_1, EMOJI, 'success', 1, { 2: 1 }),
];

/**
 * Rates of edges whose series come from one scrape target. rate() extrapolates to the window's
 * edges by the samples' timestamps, which every series of a target shares, so all of them are
 * off their slope by one common factor: exactly equal factors show that each edge counts exactly
 * its own series (a double count or the wrong reporter changes one edge's factor), and the factor
 * itself stays within a few percent (scrape gaps at the window's edges on a busy machine).
 */
function expectRates(
  edges: Array<[sample: TrafficEdgeSample, perSecond: number]>,
) {
  const factors = edges.map(
    ([s, perSecond]) => s.traffic.requestsPerSecond / perSecond,
  );
  for (const factor of factors) expect(factor).toBeCloseTo(factors[0], 9);
  expectNear(factors[0], 1, RATE_TOLERANCE);
}

function expectNear(
  actual: number | undefined,
  expected: number,
  tolerance: number,
) {
  expect(actual).toBeDefined();
  const error = Math.abs(actual! - expected) / expected;
  if (error > tolerance) {
    throw new Error(
      `expected ${actual} within ${tolerance * 100}% of ${expected} (off by ${(
        error * 100
      ).toFixed(2)}%)`,
    );
  }
}

function find(
  samples: TrafficEdgeSample[],
  cluster: string,
  mesh: string,
  source: string,
  destination: string,
  service?: string,
): TrafficEdgeSample {
  const found = samples.filter(
    s =>
      s.cluster === cluster &&
      s.mesh === mesh &&
      s.source.workload === source &&
      s.destination.workload === destination &&
      (service === undefined || s.destinationService === service),
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one ${mesh} sample ${source} -> ${destination} in ${cluster}, found ${
        found.length
      } among ${JSON.stringify(samples, null, 1)}`,
    );
  }
  return found[0];
}

describeWithPrometheus(
  'PrometheusTrafficSource against a real Prometheus',
  () => {
    let exporter: MeshExporter | undefined;
    let prometheus: PrometheusServer | undefined;
    const adapters: MeshAdapter[] = [new IstioAdapter(), new LinkerdAdapter()];

    function source(extra: Partial<PrometheusTrafficConfig> = {}) {
      return new PrometheusTrafficSource({
        config: {
          url: prometheus!.url,
          timeoutMs: 30_000,
          window: '5m',
          headers: {},
          username: USERNAME,
          password: PASSWORD,
          ...extra,
        },
        adapters,
      });
    }

    /** Waits until every target's samples cover the whole window (no fixed sleeps). */
    async function waitForFullWindow() {
      const deadline = Date.now() + 150_000;
      const query = encodeURIComponent(`up[${WINDOW_SECONDS + 15}s]`);
      let last = '';
      while (Date.now() < deadline) {
        const answer = await httpGet(
          `${prometheus!.url}/api/v1/query?query=${query}`,
          AUTHORIZATION,
        ).catch(error => ({ status: 0, body: String(error) }));
        last = answer.body;
        if (answer.status === 200) {
          const { data } = JSON.parse(answer.body) as {
            data: {
              result: Array<{
                metric: { job: string };
                values: Array<[number, string]>;
              }>;
            };
          };
          const now = Date.now() / 1000;
          const covered = (job: string) => {
            const series = data.result.find(r => r.metric.job === job);
            if (!series || series.values.length < 10) return false;
            // The latest scrape worked (an earlier failed one is only a gap).
            const up = series.values[series.values.length - 1][1] === '1';
            return up && now - series.values[0][0] >= WINDOW_SECONDS + 3;
          };
          if (covered('mesh-east') && covered('mesh-west')) return;
        }
        await new Promise(resolve => setTimeout(resolve, 1000));
      }
      throw new Error(
        `Prometheus did not collect ${
          WINDOW_SECONDS + 3
        }s of samples in time: ${last}\n${prometheus!.log()}`,
      );
    }

    beforeAll(async () => {
      exporter = await startMeshExporter({
        east: [...ISTIO_EAST, ...LINKERD_EAST],
        west: LINKERD_WEST,
      });
      prometheus = await startPrometheus({
        webConfig: WEB_CONFIG,
        authorization: AUTHORIZATION,
        scrapeConfigs: ['east', 'west'].map(cluster => ({
          job_name: `mesh-${cluster}`,
          metrics_path: `/metrics/${cluster}`,
          static_configs: [
            { targets: [exporter!.address], labels: { cluster } },
          ],
        })),
      });
      await waitForFullWindow();
    });

    afterAll(async () => {
      await prometheus?.stop();
      await exporter?.close();
    });

    it('reads rates, error ratios and p50/p99 per edge, each request counted once', async () => {
      const samples = await source().read({
        clusters: ['dev'],
        window: WINDOW,
      });

      // Istio: the server side's figures where it reported the edge.
      const toReviews = find(
        samples,
        'dev',
        'istio',
        'productpage-v1',
        'reviews-v1',
      );
      expect(toReviews).toMatchObject({
        source: { namespace: 'bookinfo', workload: 'productpage-v1' },
        destination: { namespace: 'bookinfo', workload: 'reviews-v1' },
        destinationService: 'reviews',
      });
      expect(toReviews.traffic.errorRatio).toBeCloseTo(0.05, 6);
      // p50: rank 10 of 20; (5, 10] holds 12 -> 5 + 5 * 10/12. p99: rank 19.8; (50, 100] holds
      // observations 12..20 -> 50 + 50 * 7.8/8.
      expect(toReviews.traffic.p50Ms).toBeCloseTo(5 + (5 * 10) / 12, 6);
      expect(toReviews.traffic.p99Ms).toBeCloseTo(98.75, 6);

      const toRatings = find(
        samples,
        'dev',
        'istio',
        'reviews-v1',
        'ratings-v1',
      );
      expect(toRatings.traffic.errorRatio).toBeCloseTo(3 / 11, 6);
      expect(toRatings.traffic.p50Ms).toBeCloseTo(17.5, 6); // 10 + 15 * 0.5
      expect(toRatings.traffic.p99Ms).toBeCloseTo(24.85, 6); // 10 + 15 * 0.99

      // Outside the mesh: only the client side knows, and says so with `unknown`.
      const toHttpbin = find(
        samples,
        'dev',
        'istio',
        'productpage-v1',
        'unknown',
      );
      expect(toHttpbin.destination).toEqual({
        namespace: 'unknown',
        workload: 'unknown',
      });
      expect(toHttpbin.destinationService).toBe('httpbin.org');
      expect(toHttpbin.traffic.errorRatio).toBeCloseTo(0.1, 6);
      expect(toHttpbin.traffic.p50Ms).toBeCloseTo(175, 6); // 100 + 150 * 0.5
      expect(toHttpbin.traffic.p99Ms).toBeCloseTo(248.5, 6); // 100 + 150 * 0.99

      const fromOutside = find(
        samples,
        'dev',
        'istio',
        'unknown',
        'productpage-v1',
      );
      expect(fromOutside.source).toEqual({
        namespace: 'unknown',
        workload: 'unknown',
      });
      expect(fromOutside.traffic.errorRatio).toBe(0);
      // No observation in the window: Prometheus answers NaN, the sample leaves them out.
      expect(fromOutside.traffic).not.toHaveProperty('p50Ms');
      expect(fromOutside.traffic).not.toHaveProperty('p99Ms');

      // Linkerd: outbound only, pods summed into their workload. Without a cluster label this
      // Prometheus is one cluster's, so east's and west's web -> emoji add up: 10/s + 1/s.
      const webToEmoji = find(samples, 'dev', 'linkerd', 'web', 'emoji');
      expect(webToEmoji).toMatchObject({
        source: { namespace: 'emojivoto', workload: 'web' },
        destination: { namespace: 'emojivoto', workload: 'emoji' },
        destinationService: 'emoji-svc',
      });
      expectNear(webToEmoji.traffic.requestsPerSecond, 11, RATE_TOLERANCE);
      // Two scrape targets, each extrapolated by its own timestamps: their sum and the ratios
      // mixing them are near, not exact.
      expectNear(webToEmoji.traffic.errorRatio, 1 / 11, RATE_TOLERANCE);
      // 6 of 11 in (1, 2], 5 in (20, 30]: p50 = 1 + 5.5/6, p99 = 20 + 10 * 4.89/5.
      expectNear(webToEmoji.traffic.p50Ms, 1 + 5.5 / 6, RATE_TOLERANCE);
      expectNear(webToEmoji.traffic.p99Ms, 29.78, RATE_TOLERANCE);

      const botToVoting = find(samples, 'dev', 'linkerd', 'vote-bot', 'voting');
      expect(botToVoting.destinationService).toBe('voting-svc');
      expect(botToVoting.traffic.errorRatio).toBeCloseTo(0.25, 6);
      expect(botToVoting.traffic.p50Ms).toBeCloseTo(3.5, 6);
      expect(botToVoting.traffic.p99Ms).toBeCloseTo(3.99, 6);

      // Every single-target edge (east's) off its slope by the same factor.
      expectRates([
        [toReviews, 20],
        [toRatings, 11],
        [toHttpbin, 5],
        [fromOutside, 3],
        [botToVoting, 2],
      ]);

      // Nothing else: no client-side duplicate, no edge from emoji's inbound series.
      expect(samples).toHaveLength(6);
    });

    it('with a cluster label, keeps clusters apart and answers only for those asked', async () => {
      const samples = await source({ clusterLabel: 'cluster' }).read({
        clusters: ['east', 'west', 'north'],
        window: WINDOW,
      });
      expect([...new Set(samples.map(s => s.cluster))].sort()).toEqual([
        'east',
        'west',
      ]);
      expect(samples.filter(s => s.cluster === 'east')).toHaveLength(6);

      const east = find(samples, 'east', 'linkerd', 'web', 'emoji');
      expectRates([
        [east, 10],
        [find(samples, 'east', 'istio', 'productpage-v1', 'reviews-v1'), 20],
        [find(samples, 'east', 'linkerd', 'vote-bot', 'voting'), 2],
      ]);
      expect(east.traffic.errorRatio).toBeCloseTo(0.1, 6);
      expect(east.traffic.p50Ms).toBeCloseTo(2, 6); // rank 5 ends (1, 2]
      expect(east.traffic.p99Ms).toBeCloseTo(29.8, 6); // 20 + 10 * 4.9/5

      const west = find(samples, 'west', 'linkerd', 'web', 'emoji');
      expectRates([[west, 1]]);
      expect(west.traffic.errorRatio).toBe(0);
      expect(west.traffic.p50Ms).toBeCloseTo(1.5, 6);
      expect(west.traffic.p99Ms).toBeCloseTo(1.99, 6);
      expect(samples.filter(s => s.cluster === 'west')).toHaveLength(1);

      // Only the clusters asked for; and only those the source serves.
      const westOnly = await source({ clusterLabel: 'cluster' }).read({
        clusters: ['west'],
        window: WINDOW,
      });
      expect(
        westOnly.map(s => `${s.cluster}/${s.mesh}/${s.source.workload}`),
      ).toEqual(['west/linkerd/web']);
      const served = await source({
        clusterLabel: 'cluster',
        clusters: ['east'],
      }).read({
        clusters: ['east', 'west'],
        window: WINDOW,
      });
      expect([...new Set(served.map(s => s.cluster))]).toEqual(['east']);
    });

    it('rejects with Prometheus’s own message when it refuses a query', async () => {
      const broken: MeshAdapter = {
        ...adapters[0],
        id: 'broken',
        trafficMetrics: {
          labels: adapters[0].trafficMetrics!.labels,
          requestRate: w => `sum(rate(istio_requests_total[${w}])`,
          errorRate: w => `sum(rate(istio_requests_total[${w}]))`,
          latencyQuantile: () => 'vector(1)',
        },
      } as MeshAdapter;
      const error = await new PrometheusTrafficSource({
        config: {
          url: prometheus!.url,
          timeoutMs: 30_000,
          window: '5m',
          headers: {},
          username: USERNAME,
          password: PASSWORD,
        },
        adapters: [broken],
      })
        .read({ clusters: ['dev'], window: WINDOW })
        .then(
          () => undefined,
          e => e as Error,
        );
      expect(error?.message).toMatch(
        new RegExp(
          `^Prometheus at ${
            prometheus!.url
          } rejected the broken request rate query: .*parse error.* \\(bad_data\\)$`,
        ),
      );
    });

    it('says so when the credentials are wrong, without repeating them', async () => {
      const error = await source({ password: 'not-the-password' })
        .read({ clusters: ['dev'], window: WINDOW })
        .then(
          () => undefined,
          e => e as Error,
        );
      expect(error?.message).toBe(
        `Prometheus at ${
          prometheus!.url
        } refused the credentials (HTTP 401 Unauthorized): check mesh.metrics.prometheus.bearerToken or username/password`,
      );
      expect(error?.message).not.toContain('not-the-password');
    });

    it('says so when Prometheus does not answer in time', async () => {
      // A real Prometheus that stops answering: the process is suspended for the test.
      prometheus!.process.kill('SIGSTOP');
      try {
        const error = await source({ timeoutMs: 1000 })
          .read({ clusters: ['dev'], window: WINDOW })
          .then(
            () => undefined,
            e => e as Error,
          );
        expect(error?.message).toMatch(
          new RegExp(
            `^Prometheus at ${
              prometheus!.url
            } did not answer the (istio|linkerd) [a-z0-9 ]+ query within 1000 ms$`,
          ),
        );
      } finally {
        prometheus!.process.kill('SIGCONT');
      }
    });

    it('says so when Prometheus is down', async () => {
      const url = `http://127.0.0.1:${await freePort()}`;
      const error = await new PrometheusTrafficSource({
        config: {
          url,
          timeoutMs: 30_000,
          window: '5m',
          headers: {},
          bearerToken: 'tok-123',
        },
        adapters,
      })
        .read({ clusters: ['dev'], window: WINDOW })
        .then(
          () => undefined,
          e => e as Error,
        );
      expect(error?.message).toMatch(
        new RegExp(
          `^Prometheus at ${url} could not be reached: .*ECONNREFUSED`,
        ),
      );
      expect(error?.message).not.toContain('tok-123');
    });
  },
);
