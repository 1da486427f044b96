import type {
  Analyzer,
  FindingCodeInfo,
  PodTemplateRef,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';

const CODE: FindingCodeInfo = {
  code: 'MS0107',
  name: 'ReferencedObjectNotFound',
  severity: 'warning',
  summary:
    'A workload references a Secret, ConfigMap or ServiceAccount that does not exist.',
  help: "Create the referenced object in the workload's namespace, fix the name, or mark the reference `optional: true` when the workload can start without it.",
};

interface Ref {
  kind: 'Secret' | 'ConfigMap' | 'ServiceAccount';
  name: string;
  path: string;
}

/** Every required Secret, ConfigMap and ServiceAccount reference of a pod template, with its path. */
function references(t: PodTemplateRef): Ref[] {
  const spec = t.spec as Record<string, any>;
  const base = t.specPath;
  const refs: Ref[] = [];
  const sa = spec.serviceAccountName ?? spec.serviceAccount;
  // Every namespace has a `default` ServiceAccount, created by Kubernetes itself.
  if (sa && sa !== 'default') {
    refs.push({
      kind: 'ServiceAccount',
      name: sa,
      path: `${base}/${
        spec.serviceAccountName ? 'serviceAccountName' : 'serviceAccount'
      }`,
    });
  }
  (spec.imagePullSecrets ?? []).forEach((s: any, i: number) => {
    if (s?.name)
      refs.push({
        kind: 'Secret',
        name: s.name,
        path: `${base}/imagePullSecrets/${i}/name`,
      });
  });
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    if (v?.secret?.secretName && !v.secret.optional) {
      refs.push({
        kind: 'Secret',
        name: v.secret.secretName,
        path: `${base}/volumes/${i}/secret/secretName`,
      });
    }
    if (v?.configMap?.name && !v.configMap.optional) {
      refs.push({
        kind: 'ConfigMap',
        name: v.configMap.name,
        path: `${base}/volumes/${i}/configMap/name`,
      });
    }
    (v?.projected?.sources ?? []).forEach((s: any, j: number) => {
      const p = `${base}/volumes/${i}/projected/sources/${j}`;
      if (s?.secret?.name && !s.secret.optional)
        refs.push({
          kind: 'Secret',
          name: s.secret.name,
          path: `${p}/secret/name`,
        });
      if (s?.configMap?.name && !s.configMap.optional)
        refs.push({
          kind: 'ConfigMap',
          name: s.configMap.name,
          path: `${p}/configMap/name`,
        });
    });
  });
  for (const group of ['initContainers', 'containers'] as const) {
    ((spec[group] ?? []) as any[]).forEach((c, ci) => {
      const cp = `${base}/${group}/${ci}`;
      ((c?.envFrom ?? []) as any[]).forEach((e, ei) => {
        if (e?.secretRef?.name && !e.secretRef.optional)
          refs.push({
            kind: 'Secret',
            name: e.secretRef.name,
            path: `${cp}/envFrom/${ei}/secretRef/name`,
          });
        if (e?.configMapRef?.name && !e.configMapRef.optional)
          refs.push({
            kind: 'ConfigMap',
            name: e.configMapRef.name,
            path: `${cp}/envFrom/${ei}/configMapRef/name`,
          });
      });
      ((c?.env ?? []) as any[]).forEach((e, ei) => {
        const s = e?.valueFrom?.secretKeyRef;
        const m = e?.valueFrom?.configMapKeyRef;
        if (s?.name && !s.optional)
          refs.push({
            kind: 'Secret',
            name: s.name,
            path: `${cp}/env/${ei}/valueFrom/secretKeyRef/name`,
          });
        if (m?.name && !m.optional)
          refs.push({
            kind: 'ConfigMap',
            name: m.name,
            path: `${cp}/env/${ei}/valueFrom/configMapKeyRef/name`,
          });
      });
    });
  }
  return refs;
}

/**
 * MS0107: a pod template references a Secret, ConfigMap or ServiceAccount missing from its
 * namespace; its pods would not start. Optional references are left out.
 * @public
 */
export const missingReferencesAnalyzer: Analyzer = {
  id: 'generic.missing-references',
  description: CODE.summary,
  inputs: [
    { apiVersion: 'v1', kind: 'Secret' },
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'ServiceAccount' },
    ...WORKLOAD_INPUTS,
  ],
  codes: [CODE],
  analyze(snapshot) {
    return podTemplates(snapshot).flatMap(t => {
      const ns = t.owner.metadata.namespace;
      return references(t)
        .filter(r => !snapshot.get('v1', r.kind, ns, r.name))
        .map(r =>
          findingFor(
            CODE,
            t.owner,
            r.path,
            `${t.owner.kind} "${t.owner.metadata.name}" references ${r.kind} "${r.name}", which does not exist in namespace "${ns}".`,
          ),
        );
    });
  },
};
