import { run } from './__testUtils__/run';
import { isClaimHeader, jwtClaimRoutesAnalyzer } from './jwtClaimRoutes';

const gatewayAndRoute = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: by-group, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/public]
  http:
    - match: [{headers: {"@request.auth.claims.group": {exact: admin}}}]
      route: [{destination: {host: admin}}]
`;
const requestAuthentication = (selector: string) => `---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: istio-system}
spec:
  ${selector}
  jwtRules: [{issuer: https://issuer.example.com}]
`;

describe('MS0270 JWT claim routing without RequestAuthentication (IST0149)', () => {
  it("flags claim routing at a gateway whose Pods no RequestAuthentication covers (istioctl's default gateway on files)", () => {
    expect(
      run(jwtClaimRoutesAnalyzer, gatewayAndRoute).map(f => [
        f.code,
        f.istioCode,
        f.path,
      ]),
    ).toEqual([['MS0270', 'IST0149', '/spec/gateways/0']]);
  });

  it('is quiet when a RequestAuthentication selects the gateway Pods, or without claim headers', () => {
    expect(
      run(
        jwtClaimRoutesAnalyzer,
        gatewayAndRoute +
          requestAuthentication(
            'selector: {matchLabels: {istio: ingressgateway}}',
          ),
      ),
    ).toEqual([]);
    expect(
      run(
        jwtClaimRoutesAnalyzer,
        gatewayAndRoute.replace('@request.auth.claims.group', 'x-group'),
      ),
    ).toEqual([]);
    expect(isClaimHeader('@request.auth.claims[nested][key]')).toBe(true);
    expect(isClaimHeader('@request.auth.claims.')).toBe(false);
  });
});
