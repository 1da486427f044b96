import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor, pointerSegment } from '@meshstage/plugin-mesh-node';
import { IstioCode } from './common';

const CODE: IstioCode = {
  code: 'MS0268',
  name: 'GatewayAPICRDVersionBelowMinimum',
  severity: 'warning',
  summary:
    'A Gateway API CRD is older than the bundle version Istio requires for it, so istiod does not watch that kind.',
  help: 'Upgrade the Gateway API CRDs (the standard or experimental bundle) to at least the version the message names.',
  istioCode: 'IST0176',
};

const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';

/** The minimum Gateway API bundle version Istio (1.31) needs per CRD, as istioctl lists them. */
const MINIMUM: Readonly<Record<string, [number, number, number]>> = {
  'grpcroutes.gateway.networking.k8s.io': [1, 1, 0],
  'backendtlspolicies.gateway.networking.k8s.io': [1, 4, 0],
  'tlsroutes.gateway.networking.k8s.io': [1, 5, 0],
  'tcproutes.gateway.networking.k8s.io': [1, 6, 0],
};

/** `v1.4.1`, `1.4`, `1.5.0-rc.1` → [major, minor, patch] (prerelease dropped), or undefined. */
export function bundleVersion(
  text: string,
): [number, number, number] | undefined {
  const m =
    /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(
      text,
    );
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function below(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/**
 * MS0268 (IST0176): Gateway API CRDs whose `gateway.networking.k8s.io/bundle-version` annotation
 * (its prerelease ignored) is below the version Istio requires for that CRD.
 * @public
 */
export const gatewayApiCrdVersionsAnalyzer: Analyzer = {
  id: 'istio.gateway-api-crd-versions',
  description: CODE.summary,
  inputs: [
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot
      .list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')
      .flatMap(crd => {
        const minimum = MINIMUM[crd.metadata.name];
        const annotation = crd.metadata.annotations?.[BUNDLE_VERSION];
        const installed = annotation ? bundleVersion(annotation) : undefined;
        if (!minimum || !installed || !below(installed, minimum)) return [];
        return [
          findingFor(
            CODE,
            crd,
            `/metadata/annotations/${pointerSegment(BUNDLE_VERSION)}`,
            `Gateway API CRD ${
              crd.metadata.name
            } is at bundle version ${annotation}, below the ${minimum.join(
              '.',
            )} Istio requires: istiod does not watch it.`,
          ),
        ];
      });
  },
};
