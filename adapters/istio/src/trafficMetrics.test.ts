import { istioTrafficMetrics } from './trafficMetrics';
import { IstioAdapter } from './IstioAdapter';

const EDGE =
  'source_workload_namespace, source_workload, destination_workload_namespace, destination_workload, destination_service_name';

/** The two halves of `(<server side>) or (<client side> unless on (...) <server edges>)`. */
function sides(query: string): { server: string; client: string } {
  const match = /^\((.*)\) or \((.*)\)$/.exec(query);
  if (!match) throw new Error(`not a per-edge query: ${query}`);
  return { server: match[1], client: match[2] };
}

describe('istioTrafficMetrics', () => {
  it('is the adapter’s trafficMetrics', () => {
    expect(new IstioAdapter().trafficMetrics).toBe(istioTrafficMetrics);
  });

  it('names Istio’s workload labels', () => {
    expect(istioTrafficMetrics.labels).toEqual({
      sourceNamespace: 'source_workload_namespace',
      sourceWorkload: 'source_workload',
      destinationNamespace: 'destination_workload_namespace',
      destinationWorkload: 'destination_workload',
      destinationService: 'destination_service_name',
    });
  });

  it('counts each request once: the server side, else the client side for edges the server did not report', () => {
    const query = istioTrafficMetrics.requestRate('5m');
    const { server, client } = sides(query);
    expect(server).toBe(
      `sum by (${EDGE}) (rate(istio_requests_total{reporter=~"destination|waypoint"}[5m]))`,
    );
    expect(client).toBe(
      `sum by (${EDGE}) (rate(istio_requests_total{reporter="source"}[5m])) unless on (${EDGE}) ` +
        `sum by (${EDGE}) (rate(istio_requests_total{reporter=~"destination|waypoint"}[5m]))`,
    );
  });

  it('counts 5xx and non-OK gRPC statuses as errors, each request once', () => {
    const { server, client } = sides(istioTrafficMetrics.errorRate('1m'));
    expect(server).toBe(
      `sum by (${EDGE}) (` +
        `rate(istio_requests_total{reporter=~"destination|waypoint",response_code=~"5.."}[1m]) or ` +
        `rate(istio_requests_total{reporter=~"destination|waypoint",response_code!~"5..",grpc_response_status=~"[1-9]|1[0-6]"}[1m]))`,
    );
    // Client-side errors only for the edges whose rate also comes from the client side.
    expect(client).toContain(`reporter="source",response_code=~"5.."`);
    expect(client).toContain(
      `unless on (${EDGE}) sum by (${EDGE}) (rate(istio_requests_total{reporter=~"destination|waypoint"}[1m]))`,
    );
  });

  it('reads quantiles from the duration histogram, by edge and bucket', () => {
    const query = istioTrafficMetrics.latencyQuantile(0.99, '30s');
    expect(query.startsWith('histogram_quantile(0.99, (sum by (')).toBe(true);
    expect(query).toContain(
      `sum by (${EDGE}, le) (rate(istio_request_duration_milliseconds_bucket{reporter=~"destination|waypoint"}[30s]))`,
    );
    expect(query).toContain(
      `sum by (${EDGE}, le) (rate(istio_request_duration_milliseconds_bucket{reporter="source"}[30s]))`,
    );
  });

  it('adds matchers to every selector and keeps the extra labels', () => {
    const options = { matchers: 'cluster=~"east|west"', by: ['cluster'] };
    for (const query of [
      istioTrafficMetrics.requestRate('5m', options),
      istioTrafficMetrics.errorRate('5m', options),
      istioTrafficMetrics.latencyQuantile(0.5, '5m', options),
    ]) {
      const selectors = query.match(/istio_[a-z_]+\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThanOrEqual(3);
      for (const s of selectors) expect(s).toContain(',cluster=~"east|west"}');
      const groupings = query.match(/(by|on) \([^)]*\)/g) ?? [];
      for (const g of groupings) expect(g).toMatch(/, cluster(, le)?\)$/);
    }
  });
});
