import { brief, run } from './__testUtils__/run';
import { schemaValidationAnalyzer } from './schemaValidation';

describe('MS0308 Linkerd schema validation', () => {
  it('reports bad enum values and missing fields with their path', () => {
    const findings = run(
      schemaValidationAnalyzer,
      `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: s, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cart}}
  port: 8080
  proxyProtocol: HTTP/3
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: a, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: s}
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0308',
        resource: 'Server/shop/s',
        path: '/spec/proxyProtocol',
        line: 7,
      },
      {
        code: 'MS0308',
        resource: 'AuthorizationPolicy/shop/a',
        path: '/spec/requiredAuthenticationRefs',
        line: 12,
      },
    ]);
    expect(findings[1].message).toBe(
      'Schema validation error: spec.requiredAuthenticationRefs required field is missing.',
    );
  });

  it('accepts a valid Server', () => {
    expect(
      run(
        schemaValidationAnalyzer,
        `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: s, namespace: shop}
spec: {podSelector: {matchLabels: {app: cart}}, port: http, proxyProtocol: HTTP/2}
`,
      ),
    ).toEqual([]);
  });
});
