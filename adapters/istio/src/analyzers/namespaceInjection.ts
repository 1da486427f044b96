import type { Finding } from '@meshstage/plugin-mesh-common';
import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { findingFor, pointerSegment } from '@meshstage/plugin-mesh-node';
import { INJECTION_LABEL, ISTIO_SYSTEM, REVISION_LABEL } from '../constants';
import { inputs, IstioCode } from './common';

const NOT_INJECTED: IstioCode = {
  code: 'MS0243',
  name: 'NamespaceNotEnabledForIstioInjection',
  severity: 'info',
  summary:
    'A namespace has neither `istio-injection` nor `istio.io/rev`, so it says nothing about Istio sidecar injection.',
  help: 'Label it `istio-injection=enabled` (or `istio.io/rev=<revision>`) to inject, or `istio-injection=disabled` to mark it as not needing injection.',
  istioCode: 'IST0102',
};
const MULTIPLE: IstioCode = {
  code: 'MS0244',
  name: 'NamespaceMultipleInjectionLabels',
  severity: 'warning',
  summary:
    'A namespace has more than one kind of injection label (`istio-injection`, `istio.io/rev`, `istio.io/dataplane-mode`), which may lead to undefined behavior.',
  help: 'Keep one: `istio-injection=enabled` or `istio.io/rev=<revision>` for sidecars, or `istio.io/dataplane-mode=ambient` for ambient.',
  istioCode: 'IST0123',
};
const BY_DEFAULT: IstioCode = {
  code: 'MS0245',
  name: 'NamespaceInjectionEnabledByDefault',
  severity: 'info',
  summary:
    'A namespace without injection labels is injected, because Istio is installed with `enableNamespacesByDefault`.',
  help: 'Nothing to do if that is intended; label it `istio-injection=disabled` to keep it out.',
  istioCode: 'IST0148',
};

const DATAPLANE_MODE = 'istio.io/dataplane-mode';

/** The injection labels istioctl counts: `istio-injection`, and the others unless it is not `enabled`. */
function injectionLabels(labels: Record<string, string>): string[] {
  const out: string[] = [];
  const injection = labels[INJECTION_LABEL];
  if (injection !== undefined) out.push(`${INJECTION_LABEL}=${injection}`);
  for (const l of [REVISION_LABEL, DATAPLANE_MODE]) {
    if (l in labels && (injection === undefined || injection === 'enabled'))
      out.push(`${l}=${labels[l]}`);
  }
  return out;
}

/**
 * `sidecarInjectorWebhook.enableNamespacesByDefault` of the injector ConfigMap of a revision
 * (`istio-sidecar-injector[-<rev>]`, its `values` JSON), or undefined without that ConfigMap.
 */
function enabledByDefault(
  snapshot: Snapshot,
  revision: string | undefined,
): boolean | undefined {
  const name =
    !revision || revision === 'default'
      ? 'istio-sidecar-injector'
      : `istio-sidecar-injector-${revision}`;
  const cm = snapshot
    .list('v1', 'ConfigMap')
    .find(c => c.metadata.name === name) as
    | (KubeObject & { data?: Record<string, unknown> })
    | undefined;
  if (!cm) return undefined;
  try {
    const values = JSON.parse(String(cm.data?.values ?? ''));
    return values?.sidecarInjectorWebhook?.enableNamespacesByDefault === true;
  } catch {
    return false;
  }
}

/**
 * MS0243 (IST0102), MS0244 (IST0123), MS0245 (IST0148): Namespaces' injection labels as istioctl
 * reads them (not `istio-system`). More than one kind of injection label is MS0244; a namespace
 * that is not ambient and has neither `istio-injection` nor `istio.io/rev` is MS0245 when the
 * injector ConfigMap enables namespaces by default, else MS0243. As in istioctl, the last injector
 * ConfigMap found (for the namespace's revision) decides for the namespaces after it. A namespace
 * another mesh injects (Linkerd's annotation) is not reported as not injected.
 * @public
 */
export const namespaceInjectionAnalyzer: Analyzer = {
  id: 'istio.namespace-injection',
  description: MULTIPLE.summary,
  inputs: [inputs.namespace, { apiVersion: 'v1', kind: 'ConfigMap' }],
  codes: [NOT_INJECTED, MULTIPLE, BY_DEFAULT],
  analyze(snapshot, ctx) {
    const out: Finding[] = [];
    let byDefault = false;
    const otherMeshes = ctx.meshes.filter(m => m.id !== 'istio');
    for (const ns of snapshot.list('v1', 'Namespace')) {
      const name = ns.metadata.name;
      if (name === ISTIO_SYSTEM) continue;
      const labels = ns.metadata.labels ?? {};
      const found = injectionLabels(labels);
      if (found.length > 1) {
        out.push(
          findingFor(
            MULTIPLE,
            ns,
            `/metadata/labels/${pointerSegment(
              found[1].slice(0, found[1].indexOf('=')),
            )}`,
            `Namespace "${name}" has more than one kind of injection label (${found.join(
              ', ',
            )}), which may lead to undefined behavior: keep one.`,
          ),
        );
      }
      if (labels[DATAPLANE_MODE] === 'ambient') continue;
      byDefault =
        enabledByDefault(snapshot, labels[REVISION_LABEL]) ?? byDefault;
      // A namespace another mesh injects is that mesh's, not one Istio forgot (istioctl, which
      // knows no other mesh, reports it; MeshStage does not).
      const otherMesh = otherMeshes.some(
        m => m.injection.namespaceEnabled(ns).enabled,
      );
      if (
        !labels[INJECTION_LABEL] &&
        !(REVISION_LABEL in labels) &&
        !otherMesh
      ) {
        out.push(
          byDefault
            ? findingFor(
                BY_DEFAULT,
                ns,
                '/metadata/name',
                `Namespace "${name}" is injected: Istio is installed with enableNamespacesByDefault.`,
              )
            : findingFor(
                NOT_INJECTED,
                ns,
                '/metadata/name',
                `Namespace "${name}" is not enabled for Istio injection: label it istio-injection=enabled to inject, or istio-injection=disabled to mark it as not needing injection.`,
              ),
        );
      }
    }
    return out;
  },
};
