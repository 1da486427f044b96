import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, AnalyzerInput } from '@meshstage/plugin-mesh-node';
// Test-only: the engine gives adapter rule tests real YAML positions. Needs
// `@meshstage/validation` in this package's devDependencies (requested; not yet declared).
import {
  mergeManifests,
  parseManifests,
  runAnalysis,
} from '@meshstage/validation';
import { LinkerdAdapter } from '../../LinkerdAdapter';

/**
 * Runs one analyzer over YAML in `test.yaml` through the real engine (positions, suppression);
 * `includesCluster` treats the YAML as if read from a live cluster, `now` is the time certificates
 * are checked against, `unreadable` the kinds that cluster refused to list (each with the API
 * server's message).
 */
export function run(
  analyzer: Analyzer,
  yaml: string,
  options:
    | boolean
    | {
        includesCluster?: boolean;
        now?: number;
        unreadable?: Array<AnalyzerInput & { reason: string }>;
      } = false,
): Finding[] {
  const {
    includesCluster = false,
    now,
    unreadable,
  } = typeof options === 'boolean' ? { includesCluster: options } : options;
  const adapter = new LinkerdAdapter();
  return runAnalysis(mergeManifests([], [parseManifests('test.yaml', yaml)]), {
    analyzers: [analyzer],
    meshes: [{ id: adapter.id, injection: adapter.injection }],
    includesCluster,
    now,
    unreadable,
  });
}

/** code, resource, path and line of each finding. */
export function brief(findings: Finding[]) {
  return findings.map(f => ({
    code: f.code,
    resource:
      f.resource &&
      `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`,
    path: f.path,
    line: f.source?.line,
  }));
}
