import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0265',
  name: 'DeprecatedField',
  severity: 'warning',
  summary:
    'An Istio resource uses a deprecated or ignored field, or a custom resource type Istio removed.',
  help: 'Use the replacement the message names, or remove the field or resource.',
  istioCode: 'IST0002',
};

/** The custom resource types of Istio's removed RBAC API. */
const REMOVED_KINDS = new Set([
  'ClusterRbacConfig',
  'RbacConfig',
  'ServiceRole',
  'ServiceRoleBinding',
]);

/**
 * MS0265 (IST0002): deprecated fields istioctl reports: VirtualService
 * `http[].fault.delay.percent` (use `percentage`), Sidecar `outboundTrafficPolicy.egressProxy`
 * (ignored), and CustomResourceDefinitions of the removed `rbac.istio.io` kinds.
 * @public
 */
export const deprecatedFieldsAnalyzer: Analyzer = {
  id: 'istio.deprecated-fields',
  description: CODE.summary,
  inputs: [
    inputs.virtualService,
    inputs.sidecar,
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const vs of snapshot.list(NETWORKING, 'VirtualService')) {
      const i = arr(specOf(vs).http).findIndex(
        (r: any) => Number(r?.fault?.delay?.percent) > 0,
      );
      if (i >= 0)
        out.push(
          findingFor(
            CODE,
            vs,
            `/spec/http/${i}/fault/delay/percent`,
            'Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage.',
          ),
        );
    }
    for (const sc of snapshot.list(NETWORKING, 'Sidecar')) {
      if (specOf(sc).outboundTrafficPolicy?.egressProxy)
        out.push(
          findingFor(
            CODE,
            sc,
            '/spec/outboundTrafficPolicy/egressProxy',
            'Deprecated: OutboundTrafficPolicy.EgressProxy is ignored.',
          ),
        );
    }
    for (const crd of snapshot.list(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
    )) {
      const spec = specOf(crd);
      if (spec.group === 'rbac.istio.io' && REMOVED_KINDS.has(spec.names?.kind))
        out.push(
          findingFor(
            CODE,
            crd,
            '/spec/names/kind',
            `Deprecated: custom resource type rbac.istio.io ${spec.names.kind} is removed.`,
          ),
        );
    }
    return out;
  },
};
