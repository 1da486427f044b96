import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, MeshInjection } from '@meshstage/plugin-mesh-node';
import { validateManifests } from '../validate';
import type { Suppression } from '../suppression';

/** Two meshes shaped like Istio and Linkerd, without depending on the adapters. */
export const testMeshes: Array<{ id: string; injection: MeshInjection }> = [
  {
    id: 'istio',
    injection: {
      proxyContainerNames: ['istio-proxy'],
      namespaceEnabled: ns => ({
        enabled:
          ns.metadata.labels?.['istio-injection'] === 'enabled' ||
          Boolean(ns.metadata.labels?.['istio.io/rev']),
      }),
    },
  },
  {
    id: 'linkerd',
    injection: {
      proxyContainerNames: ['linkerd-proxy'],
      namespaceEnabled: ns => ({
        enabled: ns.metadata.annotations?.['linkerd.io/inject'] === 'enabled',
      }),
    },
  },
];

/** Runs one analyzer over one YAML text (file `test.yaml`), as the CLI would. */
export function run(
  analyzer: Analyzer,
  yaml: string,
  suppressions?: Suppression[],
): Finding[] {
  return validateManifests([{ file: 'test.yaml', text: yaml }], {
    only: [analyzer],
    adapters: testMeshes,
    suppressions,
  }).findings;
}

/** The parts of a finding a test usually checks. */
export function brief(f: Finding) {
  return {
    code: f.code,
    resource:
      f.resource &&
      `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`,
    path: f.path,
    line: f.source?.line,
  };
}
