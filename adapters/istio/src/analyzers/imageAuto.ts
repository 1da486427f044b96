import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplateOf,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';
import { PROXY_CONTAINER } from '../constants';
import { arr, IstioCode } from './common';

const WARNING: IstioCode = {
  code: 'MS0266',
  name: 'ImageAutoWithoutInjectionWarning',
  severity: 'warning',
  summary:
    'A Deployment’s `istio-proxy` container has `image: auto`, but no Istio injection webhook selects its pods, so the image is never filled in.',
  help: 'Label the namespace or pod template so an injection webhook selects it (`istio-injection: enabled`, `istio.io/rev`, `sidecar.istio.io/inject: "true"`), or set a real image.',
  istioCode: 'IST0146',
};
const ERROR: IstioCode = {
  code: 'MS0267',
  name: 'ImageAutoWithoutInjectionError',
  severity: 'error',
  summary:
    'A Pod runs an `istio-proxy` container with `image: auto`: injection did not fill the image in, so the container cannot start.',
  help: 'Make an injection webhook select the pod (namespace or pod labels) and recreate it, or set a real image.',
  istioCode: 'IST0147',
};

const ADMISSION = 'admissionregistration.k8s.io/v1';

/** The index of an `istio-proxy` container with `image: auto`, or -1. */
function autoImage(obj: KubeObject): { path: string } | undefined {
  const t = podTemplateOf(obj);
  if (!t) return undefined;
  const i = arr(t.spec.containers).findIndex(
    (c: any) => c?.name === PROXY_CONTAINER && c?.image === 'auto',
  );
  return i < 0 ? undefined : { path: `${t.specPath}/containers/${i}/image` };
}

/**
 * MS0266 (IST0146) and MS0267 (IST0147): `image: auto` on an `istio-proxy` container, which only
 * injection replaces. On a Pod it is always an error (injection did not happen); on a Deployment a
 * warning when no Istio webhook (one named `*istio.io`) selects its namespace's labels and its
 * pod template's labels.
 * @public
 */
export const imageAutoAnalyzer: Analyzer = {
  id: 'istio.image-auto',
  description: WARNING.summary,
  inputs: [
    { apiVersion: 'v1', kind: 'Namespace' },
    { apiVersion: 'v1', kind: 'Pod' },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: ADMISSION, kind: 'MutatingWebhookConfiguration' },
  ],
  codes: [WARNING, ERROR],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const pod of snapshot.list('v1', 'Pod')) {
      const auto = autoImage(pod);
      if (auto)
        out.push(
          findingFor(
            ERROR,
            pod,
            auto.path,
            `Pod "${pod.metadata.name}" contains \`image: auto\` but no injection webhook filled it in.`,
          ),
        );
    }
    const webhooks = snapshot
      .list(ADMISSION, 'MutatingWebhookConfiguration')
      .flatMap(c => arr((c as { webhooks?: unknown }).webhooks))
      .filter(
        (w: any) => typeof w?.name === 'string' && w.name.endsWith('istio.io'),
      );
    for (const deployment of snapshot.list('apps/v1', 'Deployment')) {
      const auto = autoImage(deployment);
      if (!auto) continue;
      const ns = snapshot.get(
        'v1',
        'Namespace',
        undefined,
        deployment.metadata.namespace ?? 'default',
      );
      const nsLabels = ns?.metadata.labels ?? {};
      const podLabels = podTemplateOf(deployment)?.labels ?? {};
      const injected = webhooks.some(
        (w: any) =>
          selectorMatches(w.namespaceSelector, nsLabels) &&
          selectorMatches(w.objectSelector, podLabels),
      );
      if (!injected)
        out.push(
          findingFor(
            WARNING,
            deployment,
            auto.path,
            `Deployment "${deployment.metadata.name}" contains \`image: auto\` but does not match any Istio injection webhook selectors.`,
          ),
        );
    }
    return out;
  },
};
