import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import { emptyMatchLabels } from './matchLabelsSelector';
import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';

const TOPOLOGY_LABELS = [
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.istio.io/subzone',
];
const FAILOVER_WARNING =
  'outlier detection policy must be provided for failover';

const nonZero = (v: unknown) => !absent(v) && Number(v) !== 0;
const failsOver = (lb: Record<string, any>) =>
  arr(lb.failover).length > 0 || arr(lb.failoverPriority).length > 0;

/** Whether Istio's locality check returns an error before reaching its failover warning. */
function localityRejected(lb: Record<string, any>): boolean {
  const distribute = arr(lb.distribute);
  if (distribute.length && arr(lb.failover).length) return true;
  if (
    arr(lb.failover).length &&
    arr(lb.failoverPriority).some(l => TOPOLOGY_LABELS.includes(String(l)))
  )
    return true;
  return distribute.some(d => {
    const weights = Object.values(obj(obj(d).to)).map(Number);
    return (
      weights.some(w => !(w > 0 && w <= 100)) ||
      weights.reduce((a, b) => a + b, 0) !== 100
    );
  });
}

/**
 * A DestinationRule's warnings: a `workloadSelector` without labels, and its traffic policy's. Only its top-level `trafficPolicy` gives any: Istio drops the
 * warnings of subset and port-level policies (they are folded in as errors only).
 */
export function destinationRuleWarnings(rule: KubeObject): SchemaWarning[] {
  return [
    ...trafficPolicyWarnings(specOf(rule).trafficPolicy),
    ...emptyMatchLabels(
      specOf(rule).workloadSelector,
      '/spec/workloadSelector',
    ),
  ];
}

function trafficPolicyWarnings(raw: unknown): SchemaWarning[] {
  if (absent(raw)) return [];
  const policy = obj(raw);
  const fields = [
    'outlierDetection',
    'connectionPool',
    'loadBalancer',
    'tls',
    'portLevelSettings',
    'tunnel',
    'proxyProtocol',
    'retryBudget',
  ];
  // An empty policy, or tunnel with proxyProtocol, is an error returned alone.
  if (fields.every(f => absent(policy[f]))) return [];
  if (!absent(policy.tunnel) && !absent(policy.proxyProtocol)) return [];
  const base = '/spec/trafficPolicy';
  const outlierSet = !absent(policy.outlierDetection);
  const out: SchemaWarning[] = [];
  if (nonZero(obj(policy.outlierDetection).consecutiveErrors))
    out.push({
      path: `${base}/outlierDetection/consecutiveErrors`,
      text: 'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
    });
  const lb = obj(policy.loadBalancer);
  if (nonZero(obj(lb.consistentHash).minimumRingSize))
    out.push({
      path: `${base}/loadBalancer/consistentHash/minimumRingSize`,
      text: "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead",
    });
  const locality = obj(lb.localityLbSetting);
  if (
    !absent(lb.localityLbSetting) &&
    !localityRejected(locality) &&
    failsOver(locality) &&
    !outlierSet
  )
    out.push({
      path: `${base}/loadBalancer/localityLbSetting`,
      text: FAILOVER_WARNING,
    });
  if (failsOver(obj(lb.zoneAwareLbSetting)) && !outlierSet)
    out.push({
      path: `${base}/loadBalancer/zoneAwareLbSetting`,
      text: FAILOVER_WARNING,
    });
  return out;
}
