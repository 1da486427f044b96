import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  pointerSegment,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { INJECT_ANNOTATION } from '../constants';
import { inputs, LinkerdCode } from './common';

const CODE: LinkerdCode = {
  code: 'MS0325',
  name: 'LinkerdLabelAnnotationMixup',
  severity: 'warning',
  summary:
    'A Linkerd setting is written as a label where Linkerd reads an annotation (`linkerd.io/inject`, `config.linkerd.io/*`), or as an annotation where it reads a label (`mirror.linkerd.io/exported` on a Service), so Linkerd ignores it.',
  help: 'Move the key from `metadata.labels` to `metadata.annotations` (or, for `mirror.linkerd.io/exported`, the other way round).',
};

const ANNOTATION_PREFIXES = ['config.linkerd.io', 'config.alpha.linkerd.io'];
const EXPORTED = 'mirror.linkerd.io/exported';

/** Labels `linkerd check` says should be annotations. */
function misplacedLabels(labels: Record<string, string> | undefined): string[] {
  return Object.keys(labels ?? {})
    .filter(
      k =>
        k === INJECT_ANNOTATION ||
        ANNOTATION_PREFIXES.some(p => k.startsWith(p)),
    )
    .sort();
}

/**
 * MS0325: `linkerd check`'s `data plane pod labels are configured correctly`, `data plane service
 * labels ...` and `data plane service annotations ...`, on Pods, Services and (MeshStage's own
 * extension: where the mistake is written, and where it keeps a pod from ever being injected) pod
 * templates of workloads, and `linkerd.io/inject` as a Namespace label. Namespaces may carry
 * `config.linkerd.io/*` labels (the webhooks' namespace selectors read
 * `config.linkerd.io/admission-webhooks` as one), so only `linkerd.io/inject` is judged there.
 * @public
 */
export const annotationLabelsAnalyzer: Analyzer = {
  id: 'linkerd.annotation-labels',
  description: CODE.summary,
  inputs: [inputs.service, inputs.namespace, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    const report = (
      owner: KubeObject,
      metadataPath: string,
      field: 'labels' | 'annotations',
      key: string,
    ) =>
      out.push(
        findingFor(
          CODE,
          owner,
          `${metadataPath}/${field}/${pointerSegment(key)}`,
          `${owner.kind} "${owner.metadata.name}" has "${key}" as ${
            field === 'labels'
              ? 'a label; Linkerd reads it as an annotation'
              : 'an annotation; Linkerd reads it as a label'
          }.`,
        ),
      );
    for (const t of podTemplates(snapshot))
      for (const key of misplacedLabels(t.labels))
        report(t.owner, t.metadataPath, 'labels', key);
    for (const svc of snapshot.list('v1', 'Service')) {
      for (const key of misplacedLabels(svc.metadata.labels))
        report(svc, '/metadata', 'labels', key);
      if (svc.metadata.annotations?.[EXPORTED] !== undefined)
        report(svc, '/metadata', 'annotations', EXPORTED);
    }
    for (const ns of snapshot.list('v1', 'Namespace'))
      if (ns.metadata.labels?.[INJECT_ANNOTATION] !== undefined)
        report(ns, '/metadata', 'labels', INJECT_ANNOTATION);
    return out;
  },
};
