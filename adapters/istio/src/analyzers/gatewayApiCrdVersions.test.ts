import { run } from './__testUtils__/run';
import {
  bundleVersion,
  gatewayApiCrdVersionsAnalyzer,
} from './gatewayApiCrdVersions';

const crd = (name: string, version: string) => `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${name}
  annotations: {gateway.networking.k8s.io/bundle-version: ${version}}
spec: {group: gateway.networking.k8s.io, names: {kind: X, plural: x}, scope: Namespaced}
`;

describe('MS0268 Gateway API CRD below the version Istio needs (IST0176)', () => {
  it('flags a TLSRoute CRD of bundle 1.4 (Istio needs 1.5)', () => {
    expect(
      run(
        gatewayApiCrdVersionsAnalyzer,
        crd('tlsroutes.gateway.networking.k8s.io', 'v1.4.1'),
      ).map(f => [f.code, f.istioCode, f.resource?.name]),
    ).toEqual([['MS0268', 'IST0176', 'tlsroutes.gateway.networking.k8s.io']]);
  });

  it('is quiet at or above the minimum (release candidates count as the release), and for other CRDs', () => {
    expect(
      run(
        gatewayApiCrdVersionsAnalyzer,
        crd('tlsroutes.gateway.networking.k8s.io', 'v1.5.0-rc.1') +
          crd('grpcroutes.gateway.networking.k8s.io', 'v1.4.1') +
          crd('httproutes.gateway.networking.k8s.io', 'v0.1.0'),
      ),
    ).toEqual([]);
    expect(bundleVersion('1.4')).toEqual([1, 4, 0]);
    expect(bundleVersion('latest')).toBeUndefined();
  });
});
