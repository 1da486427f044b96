import { run } from './__testUtils__/run';
import { jwksCidrsAnalyzer } from './jwksCidrs';

const istiod = (env: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system, labels: {app: istiod}}
spec:
  template:
    metadata: {labels: {app: istiod}}
    spec: {containers: [{name: discovery, env: ${env}}]}
`;
const requestAuthentication = `---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: shop}
spec:
  jwtRules: [{issuer: https://issuer.example.com, jwksUri: https://issuer.example.com/jwks}]
`;

describe('MS0269 istiod fetching JWKS without blocked CIDRs (IST0175)', () => {
  it('flags istiod without BLOCKED_CIDRS_IN_JWKS_URIS when a RequestAuthentication exists', () => {
    expect(
      run(jwksCidrsAnalyzer, istiod('[]') + requestAuthentication).map(f => [
        f.code,
        f.istioCode,
        f.resource?.name,
      ]),
    ).toEqual([['MS0269', 'IST0175', 'istiod']]);
  });

  it('is quiet with the variable set, or without any RequestAuthentication', () => {
    expect(
      run(
        jwksCidrsAnalyzer,
        istiod('[{name: BLOCKED_CIDRS_IN_JWKS_URIS, value: "10.0.0.0/8"}]') +
          requestAuthentication,
      ),
    ).toEqual([]);
    expect(run(jwksCidrsAnalyzer, istiod('[]'))).toEqual([]);
  });
});
