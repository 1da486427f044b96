import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { findingFor, labelsMatch } from '@meshstage/plugin-mesh-node';
import { INJECTION_LABEL, PROXY_CONTAINER, REVISION_LABEL } from '../constants';
import { inputs, IstioCode, specOf } from './common';
import { meshConfigOf } from './meshConfig';

const CODE: IstioCode = {
  code: 'MS0246',
  name: 'PodsIstioProxyImageMismatchInNamespace',
  severity: 'warning',
  summary:
    "Pods of an injected namespace run an istio-proxy image other than the one the namespace's injector now injects (usually after a control-plane upgrade).",
  help: 'Restart the pods (e.g. `kubectl rollout restart deployment -n <namespace>`) so they get the current proxy.',
  istioCode: 'IST0158',
};

type ConfigMap = KubeObject & { data?: Record<string, unknown> };

/** The proxy image an injector ConfigMap injects (its `values` JSON: global hub, tag, proxy image). */
export function injectedProxyImage(cm: ConfigMap): string {
  try {
    const global = JSON.parse(String(cm.data?.values ?? ''))?.global ?? {};
    const image = String(global.proxy?.image ?? '');
    return image.includes('/')
      ? image
      : `${global.hub ?? ''}/${image}:${global.tag ?? ''}`;
  } catch {
    return '';
  }
}

const imageTypeOf = (proxyConfig: KubeObject | undefined) => {
  const t = specOf(proxyConfig ?? ({} as KubeObject)).image?.imageType;
  return typeof t === 'string' ? t : '';
};

/**
 * The proxy image variant (`distroless`, `debug`) a pod gets, as istioctl resolves it: the mesh
 * config's `defaultConfig.image.imageType`, then ProxyConfig resources of the root namespace, the
 * pod's namespace and those selecting the pod, then the pod's `proxy.istio.io/config`; `default`
 * is none.
 */
function variantOf(snapshot: Snapshot, pod: KubeObject): string {
  const mesh = meshConfigOf(snapshot);
  let variant = mesh.imageType ?? '';
  const proxyConfigs = snapshot.list(
    'networking.istio.io/v1beta1',
    'ProxyConfig',
  );
  const set = (t: string) => {
    if (t) variant = t;
  };
  set(
    imageTypeOf(
      proxyConfigs.find(p => p.metadata.namespace === mesh.rootNamespace),
    ),
  );
  const ns = pod.metadata.namespace;
  const own = proxyConfigs.filter(
    p => p.metadata.namespace === ns && ns !== mesh.rootNamespace,
  );
  set(imageTypeOf(own.find(p => !specOf(p).selector)));
  for (const p of own) {
    const sel = specOf(p).selector?.matchLabels;
    if (sel && labelsMatch(sel, pod.metadata.labels ?? {})) set(imageTypeOf(p));
  }
  // The annotation is YAML; its imageType is the one scalar read here.
  const annotation = pod.metadata.annotations?.['proxy.istio.io/config'] ?? '';
  set(/imageType["']?\s*:\s*["']?([\w-]+)/.exec(annotation)?.[1] ?? '');
  return variant === 'default' ? '' : variant;
}

/**
 * MS0246 (IST0158): namespaces injected by `istio-injection: enabled` or `istio.io/rev` whose pods'
 * istio-proxy containers run an image other than the one the revision's injector ConfigMap
 * (`istio-sidecar-injector[-<rev>]`) injects, or its variant (`<image>-distroless`). Pods that pin
 * `sidecar.istio.io/proxyImage` are left out. One finding per namespace naming its pods.
 * @public
 */
export const proxyImageMismatchAnalyzer: Analyzer = {
  id: 'istio.proxy-image-mismatch',
  description: CODE.summary,
  inputs: [
    inputs.namespace,
    inputs.pod,
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'networking.istio.io/v1beta1', kind: 'ProxyConfig' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    const injected = new Map<string, string>();
    for (const cm of snapshot.list('v1', 'ConfigMap')) {
      if (cm.metadata.name.startsWith('istio-sidecar-injector'))
        injected.set(cm.metadata.name, injectedProxyImage(cm));
    }
    if (injected.size === 0) return [];
    return snapshot.list('v1', 'Namespace').flatMap(ns => {
      const labels = ns.metadata.labels ?? {};
      const revision =
        REVISION_LABEL in labels
          ? labels[REVISION_LABEL]
          : labels[INJECTION_LABEL] === 'enabled' && 'default';
      if (revision === false) return [];
      const image = injected.get(
        revision === 'default' || revision === ''
          ? 'istio-sidecar-injector'
          : `istio-sidecar-injector-${revision}`,
      );
      if (image === undefined) return [];
      const mismatched = snapshot
        .list('v1', 'Pod', ns.metadata.name)
        .filter(
          pod => !pod.metadata.annotations?.['sidecar.istio.io/proxyImage'],
        )
        .flatMap(pod => {
          const spec = specOf(pod);
          const variant = variantOf(snapshot, pod);
          return [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
            .filter(
              (c: any) =>
                c?.name === PROXY_CONTAINER &&
                c.image !== image &&
                c.image !== `${image}-${variant}`,
            )
            .map(() => pod.metadata.name);
        })
        .sort();
      if (mismatched.length === 0) return [];
      return [
        findingFor(
          CODE,
          ns,
          '/metadata/name',
          `Pods of namespace "${
            ns.metadata.name
          }" run an istio-proxy image other than ${image}, which its injector injects now (pods: ${mismatched.join(
            ', ',
          )}): restart them to get the current proxy.`,
        ),
      ];
    });
  },
};
