import type { Analyzer } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  imageTag,
  podContainers,
  pointerSegment,
} from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode } from './common';
import { PROXY_CONTAINER, REVISION_LABEL } from '../constants';

const CODE: IstioCode = {
  code: 'MS0216',
  name: 'MixedProxyVersions',
  severity: 'warning',
  summary:
    'Pods of one namespace run different istio-proxy versions or revisions.',
  help: 'Finish the upgrade: restart the workloads still on the old proxy (`kubectl rollout restart`) so every pod of the namespace runs the revision its namespace is bound to.',
};

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  // Ties go to the highest version, which is where an upgrade is going.
  return [...counts].sort(
    (a, b) => b[1] - a[1] || b[0].localeCompare(a[0], 'en', { numeric: true }),
  )[0][0];
}

/** MS0216: proxies of one namespace at different versions or revisions. @public */
export const mixedProxyVersionsAnalyzer: Analyzer = {
  id: 'istio.mixed-proxy-versions',
  description: CODE.summary,
  inputs: [inputs.pod],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.namespaces().flatMap(ns => {
      const proxies = snapshot.list('v1', 'Pod', ns).flatMap(pod => {
        const containers = podContainers(pod as any);
        const i = containers.findIndex(c => c.name === PROXY_CONTAINER);
        if (i < 0) return [];
        const c = containers[i];
        const inInit = (pod.spec as any)?.initContainers?.includes(c);
        const index = (
          (inInit
            ? (pod.spec as any).initContainers
            : (pod.spec as any).containers) as unknown[]
        ).indexOf(c);
        return [
          {
            pod,
            version: imageTag(c.image),
            revision: pod.metadata.labels?.[REVISION_LABEL],
            path: `/spec/${
              inInit ? 'initContainers' : 'containers'
            }/${index}/image`,
          },
        ];
      });
      const findings = [];
      const versions = proxies
        .map(p => p.version)
        .filter((v): v is string => Boolean(v));
      if (new Set(versions).size > 1) {
        const main = mostCommon(versions);
        for (const p of proxies.filter(x => x.version && x.version !== main)) {
          findings.push(
            findingFor(
              CODE,
              p.pod,
              p.path,
              `Pod "${p.pod.metadata.name}" runs istio-proxy ${p.version} while other pods of namespace "${ns}" run ${main}.`,
            ),
          );
        }
      }
      const revisions = proxies
        .map(p => p.revision)
        .filter((v): v is string => Boolean(v));
      if (new Set(revisions).size > 1) {
        const main = mostCommon(revisions);
        for (const p of proxies.filter(
          x => x.revision && x.revision !== main,
        )) {
          findings.push(
            findingFor(
              CODE,
              p.pod,
              `/metadata/labels/${pointerSegment(REVISION_LABEL)}`,
              `Pod "${p.pod.metadata.name}" is on revision ${p.revision} while other pods of namespace "${ns}" are on ${main}.`,
            ),
          );
        }
      }
      return findings;
    });
  },
};
