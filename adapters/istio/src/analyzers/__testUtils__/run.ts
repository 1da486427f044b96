import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
// Test-only: the engine gives adapter rule tests real YAML positions. Needs
// `@meshstage/validation` in this package's devDependencies (requested; not yet declared).
import { validateManifests } from '@meshstage/validation';
import { IstioAdapter } from '../../IstioAdapter';

/** A second mesh beside Istio, injecting namespaces annotated `linkerd.io/inject: enabled`. */
export const OTHER_MESH = {
  id: 'linkerd',
  injection: {
    proxyContainerNames: ['linkerd-proxy'],
    namespaceEnabled: (ns: KubeObject) => ({
      enabled: ns.metadata.annotations?.['linkerd.io/inject'] === 'enabled',
    }),
  },
};

/**
 * Runs one analyzer over YAML in `test.yaml`, through the real engine (positions, suppression),
 * with Istio (and `OTHER_MESH` when `otherMesh`) as the meshes, at time `now` when given.
 */
export function run(
  analyzer: Analyzer,
  yaml: string,
  options: { otherMesh?: boolean; now?: number } = {},
): Finding[] {
  return validateManifests([{ file: 'test.yaml', text: yaml }], {
    only: [analyzer],
    adapters: [new IstioAdapter(), ...(options.otherMesh ? [OTHER_MESH] : [])],
    now: options.now,
  }).findings;
}

/** code, istio code, resource, path and line of each finding. */
export function brief(findings: Finding[]) {
  return findings.map(f => ({
    code: f.code,
    istioCode: f.istioCode,
    resource:
      f.resource &&
      `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`,
    path: f.path,
    line: f.source?.line,
  }));
}
