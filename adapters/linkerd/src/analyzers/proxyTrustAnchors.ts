import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { PROXY_CONTAINER } from '../constants';
import { inputs, LinkerdCode } from './common';
import { identityMaterials, TRUST_ROOTS } from './linkerdIdentity';

const CODE: LinkerdCode = {
  code: 'MS0316',
  name: 'ProxyTrustAnchorsOutdated',
  severity: 'warning',
  summary:
    "A meshed pod's proxy was injected with other trust anchors than the control plane's current ones, so its mTLS breaks when the old anchors go.",
  help: 'Restart the workload (`kubectl rollout restart`) so the injector gives its proxy the current trust anchors, as `linkerd check --proxy` advises.',
};

const ENV = 'LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS';
const CONTROL_PLANE_NS_LABEL = 'linkerd.io/control-plane-ns';

/**
 * MS0316: `linkerd check`'s `data plane proxies certificate match CA`: each pod labelled with its
 * control plane (`linkerd.io/control-plane-ns`), outside that namespace, whose `linkerd-proxy`
 * sets `LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS` to a value that differs (whitespace at the ends
 * aside) from `ca-bundle.crt` of the control plane's `linkerd-identity-trust-roots`. Proxies that
 * read the variable from elsewhere (`valueFrom`) are not judged.
 * @public
 */
export const proxyTrustAnchorsAnalyzer: Analyzer = {
  id: 'linkerd.proxy-trust-anchors',
  description: CODE.summary,
  inputs: [inputs.pod, { apiVersion: 'v1', kind: 'ConfigMap' }],
  codes: [CODE],
  analyze(snapshot) {
    const bundles = new Map<string, string>();
    for (const m of identityMaterials(snapshot)) {
      const a = m.anchors;
      if (
        a?.object.kind === 'ConfigMap' &&
        a.object.metadata.name === TRUST_ROOTS
      )
        bundles.set(
          m.namespace,
          String((a.object as any).data['ca-bundle.crt']).trim(),
        );
    }
    if (bundles.size === 0) return [];
    return snapshot.list('v1', 'Pod').flatMap(pod => {
      const cp = pod.metadata.labels?.[CONTROL_PLANE_NS_LABEL];
      const bundle = cp === undefined ? undefined : bundles.get(cp);
      if (bundle === undefined || pod.metadata.namespace === cp) return [];
      const spec = (pod.spec ?? {}) as Record<string, any>;
      for (const group of ['initContainers', 'containers'] as const) {
        const list: any[] = Array.isArray(spec[group]) ? spec[group] : [];
        const i = list.findIndex(c => c?.name === PROXY_CONTAINER);
        if (i < 0) continue;
        const env: any[] = Array.isArray(list[i].env) ? list[i].env : [];
        const j = env.findIndex(e => e?.name === ENV);
        const value = env[j]?.value;
        if (typeof value !== 'string' || value.trim() === bundle) return [];
        return [
          findingFor(
            CODE,
            pod,
            `/spec/${group}/${i}/env/${j}/value`,
            `Pod "${pod.metadata.name}" has a proxy with other trust anchors than ConfigMap "${cp}/${TRUST_ROOTS}"; restart it to pick up the current ones.`,
          ),
        ];
      }
      return [];
    });
  },
};
