import { brief, run } from './__testUtils__/run';
import { serverSelectorAnalyzer } from './serverSelector';

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart}}
    spec: {containers: [{name: app}]}
---
`;
const server = (app: string) => `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: cart-http, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: ${app}}
  port: 8080
`;

describe('MS0302 Server selects no pod', () => {
  it('flags a Server whose podSelector matches nothing', () => {
    expect(
      brief(run(serverSelectorAnalyzer, workload + server('kart'))),
    ).toEqual([
      {
        code: 'MS0302',
        resource: 'Server/shop/cart-http',
        path: '/spec/podSelector',
        line: 13,
      },
    ]);
  });

  it('is quiet when it matches, or when the namespace has no workloads in view', () => {
    expect(run(serverSelectorAnalyzer, workload + server('cart'))).toEqual([]);
    expect(run(serverSelectorAnalyzer, server('kart'))).toEqual([]);
  });
});
