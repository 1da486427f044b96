import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  labelsMatch,
  podTemplateOf,
} from '@meshstage/plugin-mesh-node';
import { arr, IstioCode, specOf } from './common';
import { inMesh } from './inMesh';

const CODE: IstioCode = {
  code: 'MS0236',
  name: 'DeploymentConflictingPorts',
  severity: 'warning',
  summary:
    'Services selecting the same Deployment send different ports to the same target port.',
  help: 'Services that select the same workload and use the same `targetPort` must use the same `port`: align them, or target different container ports.',
  istioCode: 'IST0137',
};

/** A Service port's target as Kubernetes reads it: `targetPort`, else the port itself. */
function target(port: any): string {
  const t = port?.targetPort;
  return t === undefined || t === null || t === 0 || t === ''
    ? String(port?.port)
    : String(t);
}

/**
 * MS0236 (IST0137): a Deployment in the mesh (see `inMesh`) selected by Services of its namespace
 * that map different service ports to one target port (named or numbered).
 * @public
 */
export const deploymentConflictingPortsAnalyzer: Analyzer = {
  id: 'istio.deployment-conflicting-ports',
  description: CODE.summary,
  inputs: [
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'v1', kind: 'Namespace' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    // Services of each namespace by their selector's first `key=value`: a Deployment looks up the
    // Services its labels can satisfy instead of scanning its namespace's Services.
    const index = new Map<string, KubeObject[]>();
    for (const svc of snapshot.list('v1', 'Service')) {
      const selector = specOf(svc).selector;
      const first =
        selector && typeof selector === 'object'
          ? Object.entries(selector)[0]
          : undefined;
      if (!first) continue;
      const key = `${svc.metadata.namespace}|${first[0]}=${first[1]}`;
      const list = index.get(key);
      if (list) list.push(svc);
      else index.set(key, [svc]);
    }
    return snapshot.list('apps/v1', 'Deployment').flatMap(deployment => {
      const t = podTemplateOf(deployment);
      if (!t || !inMesh(snapshot, t)) return [];
      const ns = deployment.metadata.namespace;
      const services = [
        ...new Set(
          Object.entries(t.labels).flatMap(
            ([k, v]) => index.get(`${ns}|${k}=${v}`) ?? [],
          ),
        ),
      ].filter(svc => labelsMatch(specOf(svc).selector, t.labels));
      // target port -> service port -> the (last) Service using it, as istioctl keys them
      const byTarget = new Map<string, Map<string, KubeObject>>();
      for (const svc of services) {
        for (const port of arr(specOf(svc).ports)) {
          const ports = byTarget.get(target(port)) ?? new Map();
          ports.set(String(port?.port), svc);
          byTarget.set(target(port), ports);
        }
      }
      return [...byTarget]
        .filter(([, ports]) => ports.size > 1)
        .map(([targetPort, ports]) =>
          findingFor(
            CODE,
            deployment,
            '/metadata/name',
            `Deployment "${
              deployment.metadata.name
            }" is selected by Services ${[
              ...new Set([...ports.values()].map(s => s.metadata.name)),
            ]
              .sort()
              .join(
                ', ',
              )} using targetPort "${targetPort}" but different ports: ${[
              ...ports.keys(),
            ]
              .sort((a, b) => Number(a) - Number(b))
              .join(', ')}.`,
          ),
        );
    });
  },
};
