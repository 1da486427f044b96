import { brief, run } from './__testUtils__/run';
import { destinationRuleSubsetPodsAnalyzer } from './destinationRuleSubsetPods';

const service = `---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
`;
const rule = (subsets: string) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets: ${subsets}
`;
const pod = (labels: string, nodeName = '') => `---
apiVersion: v1
kind: Pod
metadata: {name: reviews-${Math.abs(
  labels.length,
)}, namespace: shop, labels: ${labels}}
spec:${nodeName ? `\n  nodeName: ${nodeName}` : ''}
  containers: [{name: app}]
`;

describe('MS0263 DestinationRule subset selecting no Pod (IST0173)', () => {
  it('flags a subset no Pod has the labels of, and a topology label no node gives', () => {
    const findings = run(
      destinationRuleSubsetPodsAnalyzer,
      `${
        service +
        rule(
          '[{name: v1, labels: {version: v1}}, {name: v3, labels: {version: v3}}, {name: east, labels: {topology.kubernetes.io/region: east}}]',
        ) +
        pod('{app: reviews, version: v1}', 'node-a')
      }---
apiVersion: v1
kind: Node
metadata: {name: node-a, labels: {topology.kubernetes.io/region: west}}
`,
    );
    expect(brief(findings).map(f => [f.code, f.istioCode, f.path])).toEqual([
      ['MS0263', 'IST0173', '/spec/subsets/1'],
      ['MS0263', 'IST0173', '/spec/subsets/2'],
    ]);
  });

  it('counts node topology, pod templates, and skips unknown hosts', () => {
    expect(
      run(
        destinationRuleSubsetPodsAnalyzer,
        `${
          service +
          rule(
            '[{name: west, labels: {topology.kubernetes.io/region: west}}, {name: v2, labels: {version: v2}}]',
          ) +
          pod('{app: reviews}', 'node-a')
        }---
apiVersion: v1
kind: Node
metadata: {name: node-a, labels: {topology.kubernetes.io/region: west}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v2, namespace: shop}
spec:
  template:
    metadata: {labels: {app: reviews, version: v2}}
    spec: {containers: [{name: app}]}
${rule('[{name: v9, labels: {version: v9}}]')
  .replace('host: reviews', 'host: nowhere')
  .replace('name: reviews,', 'name: other,')}`,
      ),
    ).toEqual([]);
  });
});
