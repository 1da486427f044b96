import { brief, run } from './__testUtils__/run';
import { serverConflictsAnalyzer } from './serverConflicts';

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart, tier: web}}
    spec:
      containers:
        - name: app
          ports: [{name: http, containerPort: 8080}, {name: admin, containerPort: 9990}]
`;
const server = (
  name: string,
  selector: string,
  port: string,
  created?: string,
) => `---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata:
  name: ${name}
  namespace: shop${created ? `\n  creationTimestamp: "${created}"` : ''}
spec:
  podSelector: {matchLabels: {${selector}}}
  port: ${port}
`;

describe('MS0322 two Servers on one pod port', () => {
  it('flags the Server Linkerd skips: by name among files, naming the port both select', () => {
    const findings = run(
      serverConflictsAnalyzer,
      workload +
        server('cart-http', 'app: cart', 'http') +
        server('b-web', 'tier: web', '8080'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0322',
        resource: 'Server/shop/cart-http',
        path: '/spec/port',
        line: 19,
      },
    ]);
    expect(findings[0].message).toBe(
      'Server "cart-http" and Server "b-web" both select port 8080 of Deployment "cart"; Linkerd applies "b-web" there and ignores "cart-http".',
    );
  });

  it('orders by creation time first, as the policy controller does', () => {
    const findings = run(
      serverConflictsAnalyzer,
      workload +
        server('cart-http', 'app: cart', 'http', '2026-01-01T00:00:00Z') +
        server('b-web', 'tier: web', '8080', '2026-03-01T00:00:00Z'),
    );
    expect(findings.map(f => f.resource?.name)).toEqual(['b-web']);
  });

  it('is quiet when the Servers take different ports or different pods', () => {
    expect(
      run(
        serverConflictsAnalyzer,
        workload +
          server('cart-http', 'app: cart', 'http') +
          server('cart-admin', 'app: cart', 'admin'),
      ),
    ).toEqual([]);
    expect(
      run(
        serverConflictsAnalyzer,
        workload +
          server('cart-http', 'app: cart', '8080') +
          server('other', 'app: other', '8080'),
      ),
    ).toEqual([]);
  });
});
