import { brief, run } from './__testUtils__/run';
import { serverPortsAnalyzer } from './serverPorts';

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart}}
    spec:
      containers:
        - name: app
          ports: [{name: http, containerPort: 8080}, {name: admin, containerPort: 9990}]
---
`;
const server = (
  port: string,
  app = 'cart',
) => `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: cart-http, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: ${app}}
  port: ${port}
  proxyProtocol: HTTP/1
`;

describe('MS0309 Server port not exposed by its pods', () => {
  it.each(['8081', 'grpc'])(
    'flags port %s, which no selected container declares',
    port => {
      expect(brief(run(serverPortsAnalyzer, workload + server(port)))).toEqual([
        {
          code: 'MS0309',
          resource: 'Server/shop/cart-http',
          path: '/spec/port',
          line: 18,
        },
      ]);
    },
  );

  it('accepts a declared number or name, and leaves Servers selecting nothing to MS0302', () => {
    expect(run(serverPortsAnalyzer, workload + server('8080'))).toEqual([]);
    expect(run(serverPortsAnalyzer, workload + server('admin'))).toEqual([]);
    expect(run(serverPortsAnalyzer, workload + server('8081', 'kart'))).toEqual(
      [],
    );
  });
});
