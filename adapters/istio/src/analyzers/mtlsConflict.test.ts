import { brief, run } from './__testUtils__/run';
import { mtlsConflictAnalyzer } from './mtlsConflict';

const base = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews, namespace: shop}
spec:
  template:
    metadata: {labels: {app: reviews}}
    spec: {containers: [{name: app}]}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
`;
function dr(mode: string) {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  trafficPolicy:
    tls:
      mode: ${mode}
`;
}

describe('MS0208 mTLS mode conflict', () => {
  it('flags a DISABLE client against mesh-wide STRICT', () => {
    const findings = run(mtlsConflictAnalyzer, base + dr('DISABLE'));
    expect(brief(findings)).toEqual([
      {
        code: 'MS0208',
        istioCode: undefined,
        resource: 'DestinationRule/shop/reviews',
        path: '/spec/trafficPolicy/tls/mode',
        line: 26,
      },
    ]);
    expect(findings[0].message).toContain(
      'PeerAuthentication istio-system/default sets mTLS mode STRICT',
    );
  });

  it('honours a workload-level PERMISSIVE override, and ISTIO_MUTUAL with STRICT', () => {
    const permissive = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews, namespace: shop}
spec: {selector: {matchLabels: {app: reviews}}, mtls: {mode: PERMISSIVE}}
---
`;
    expect(
      run(mtlsConflictAnalyzer, base + permissive + dr('DISABLE')),
    ).toEqual([]);
    expect(run(mtlsConflictAnalyzer, base + dr('ISTIO_MUTUAL'))).toEqual([]);
  });
});
