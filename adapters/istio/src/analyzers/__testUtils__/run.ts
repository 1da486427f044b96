import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
// Test-only: the engine gives adapter rule tests real YAML positions. Needs
// `@meshstage/validation` in this package's devDependencies (requested; not yet declared).
import { validateManifests } from '@meshstage/validation';
import { IstioAdapter } from '../../IstioAdapter';

/** Runs one analyzer over YAML in `test.yaml`, through the real engine (positions, suppression). */
export function run(analyzer: Analyzer, yaml: string): Finding[] {
  return validateManifests([{ file: 'test.yaml', text: yaml }], {
    only: [analyzer],
    adapters: [new IstioAdapter()],
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
