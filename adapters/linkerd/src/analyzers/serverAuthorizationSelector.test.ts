import { brief, run } from './__testUtils__/run';
import { serverAuthorizationSelectorAnalyzer } from './serverAuthorizationSelector';

const servers = `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: cart-http, namespace: shop, labels: {app: cart}}
spec: {podSelector: {matchLabels: {app: cart}}, port: 8080}
`;
const authz = (selector: string) => `---
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: web, namespace: shop}
spec:
  server:
    selector: ${selector}
  client: {unauthenticated: true}
`;

describe('MS0324 ServerAuthorization selecting no Server', () => {
  it('flags a selector no Server of the namespace matches', () => {
    expect(
      brief(
        run(
          serverAuthorizationSelectorAnalyzer,
          servers + authz('{matchLabels: {app: kart}}'),
        ),
      ),
    ).toEqual([
      {
        code: 'MS0324',
        resource: 'ServerAuthorization/shop/web',
        path: '/spec/server/selector',
        line: 11,
      },
    ]);
  });

  it('is quiet when a Server matches, or when no Server is in view', () => {
    expect(
      run(
        serverAuthorizationSelectorAnalyzer,
        servers + authz('{matchLabels: {app: cart}}'),
      ),
    ).toEqual([]);
    expect(
      run(
        serverAuthorizationSelectorAnalyzer,
        servers + authz('{matchExpressions: [{key: app, operator: Exists}]}'),
      ),
    ).toEqual([]);
    expect(
      run(
        serverAuthorizationSelectorAnalyzer,
        authz('{matchLabels: {app: kart}}'),
      ),
    ).toEqual([]);
  });
});
