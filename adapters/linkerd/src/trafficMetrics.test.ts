import { linkerdTrafficMetrics } from './trafficMetrics';
import { LinkerdAdapter } from './LinkerdAdapter';

const FOLD =
  '"src_workload", "$1", "deployment", "(.+)"), "src_workload", "$1", "statefulset", "(.+)"), ' +
  '"src_workload", "$1", "daemonset", "(.+)"), "dst_workload", "$1", "dst_deployment", "(.+)"), ' +
  '"dst_workload", "$1", "dst_statefulset", "(.+)"), "dst_workload", "$1", "dst_daemonset", "(.+)")';
const RAW =
  'namespace, deployment, statefulset, daemonset, dst_namespace, dst_deployment, dst_statefulset, dst_daemonset, dst_service';
const EDGE =
  'namespace, src_workload, dst_namespace, dst_workload, dst_service';

describe('linkerdTrafficMetrics', () => {
  it('is the adapter’s trafficMetrics', () => {
    expect(new LinkerdAdapter().trafficMetrics).toBe(linkerdTrafficMetrics);
  });

  it('names the caller’s labels and the synthesized workload labels', () => {
    expect(linkerdTrafficMetrics.labels).toEqual({
      sourceNamespace: 'namespace',
      sourceWorkload: 'src_workload',
      destinationNamespace: 'dst_namespace',
      destinationWorkload: 'dst_workload',
      destinationService: 'dst_service',
    });
  });

  it('reads the callers’ outbound responses, folding Deployments, StatefulSets and DaemonSets into one workload label', () => {
    expect(linkerdTrafficMetrics.requestRate('5m')).toBe(
      `sum by (${EDGE}) (${'label_replace('.repeat(6)}` +
        `sum by (${RAW}) (rate(response_total{direction="outbound"}[5m])), ${FOLD})`,
    );
  });

  it('counts Linkerd’s failure classification as errors', () => {
    expect(linkerdTrafficMetrics.errorRate('1m')).toContain(
      `rate(response_total{direction="outbound",classification="failure"}[1m])`,
    );
  });

  it('reads quantiles from the outbound latency histogram, by edge and bucket', () => {
    const query = linkerdTrafficMetrics.latencyQuantile(0.5, '30s');
    expect(query).toBe(
      `histogram_quantile(0.5, sum by (${EDGE}, le) (${'label_replace('.repeat(
        6,
      )}sum by (${RAW}, le) (rate(response_latency_ms_bucket{direction="outbound"}[30s])), ${FOLD}))`,
    );
  });

  it('adds matchers to the selector and keeps the extra labels', () => {
    const options = { matchers: 'cluster="east"', by: ['cluster'] };
    const query = linkerdTrafficMetrics.errorRate('5m', options);
    expect(query).toContain(
      'response_total{direction="outbound",classification="failure",cluster="east"}',
    );
    expect(query).toContain(`sum by (${RAW}, cluster) (rate(`);
    expect(query.startsWith(`sum by (${EDGE}, cluster) (`)).toBe(true);
  });
});
