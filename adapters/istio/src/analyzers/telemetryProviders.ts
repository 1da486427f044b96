import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, ISTIO_SYSTEM, specOf } from './common';
import { MESH_API_VERSION, meshConfigOf } from './meshConfig';
import { field } from './protoShape';

const CODE: IstioCode = {
  code: 'MS0221',
  name: 'TelemetryProviderNotFound',
  severity: 'error',
  summary:
    'A Telemetry resource names a provider that the mesh config does not define, so that part of its configuration is ignored.',
  help: 'Use a provider from `meshConfig.extensionProviders` (or a built-in one: prometheus, stackdriver, envoy), or add the provider to the mesh config.',
};

/** Providers every Istio mesh config has, whether or not `extensionProviders` lists them. */
const BUILT_IN_PROVIDERS = ['prometheus', 'stackdriver', 'envoy'];

/** The Telemetry sections that name providers. */
const SECTIONS = ['tracing', 'metrics', 'accessLogging'] as const;

/**
 * The `extensionProviders` names of a mesh config (the YAML text of the `istio` ConfigMap's
 * `mesh` key). Adapters carry no YAML parser, and the part read here is small: the list's items
 * in block style (`- name: x`, at the list's item level) or flow style (`[{name: x}]`).
 */
export function meshConfigProviders(mesh: string): string[] {
  const lines = mesh.split('\n');
  const start = lines.findIndex(l => /^\s*extensionProviders\s*:/.test(l));
  if (start < 0) return [];
  const keyIndent = lines[start].search(/\S/);
  const rest = lines[start].replace(/^\s*extensionProviders\s*:/, '');
  const names: string[] = [];
  const flowName = /["']?name["']?\s*:\s*["']?([\w.-]+)/g;
  if (rest.trim().startsWith('[')) {
    // Flow style, possibly over several lines: up to the closing bracket.
    let text = rest;
    for (let i = start + 1; i < lines.length && !text.includes(']'); i++) {
      text += lines[i];
    }
    for (const m of text.matchAll(flowName)) names.push(m[1]);
    return names;
  }
  let itemIndent: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.search(/\S/);
    const isItem = line.trim().startsWith('-');
    if (indent < keyIndent || (indent === keyIndent && !isItem)) break;
    if (isItem) {
      itemIndent ??= indent;
      if (indent !== itemIndent) continue;
      const m = /^\s*-\s*["']?name["']?\s*:\s*["']?([\w.-]+)/.exec(line);
      if (m) names.push(m[1]);
    } else if (itemIndent !== undefined && indent === itemIndent + 2) {
      const m = /^\s*["']?name["']?\s*:\s*["']?([\w.-]+)/.exec(line);
      if (m) names.push(m[1]);
    }
  }
  return names;
}

/** Mesh configs in the snapshot: the `istio` ConfigMap (`istio-<revision>` per revision). */
function meshConfigs(objects: readonly KubeObject[]): string[] {
  return objects
    .filter(
      cm =>
        cm.metadata.name === 'istio' || cm.metadata.name.startsWith('istio-'),
    )
    .map(cm => (cm as { data?: Record<string, unknown> }).data?.mesh)
    .filter((m): m is string => typeof m === 'string');
}

/**
 * The `extensionProviders` names in effect, `undefined` when no mesh config is known. The parsed
 * mesh config the engine carries comes first (`--mesh-config`, or the cluster's `istio`
 * ConfigMap read in full); a run on files alone reads the `istio` ConfigMaps among them.
 */
function extensionProviderNames(snapshot: Snapshot): string[] | undefined {
  if (snapshot.list(MESH_API_VERSION, 'MeshConfig').length > 0) {
    return meshConfigOf(snapshot)
      .extensionProviders.map(p => field(p, 'name'))
      .filter((n): n is string => typeof n === 'string');
  }
  const configs = meshConfigs(snapshot.list('v1', 'ConfigMap', ISTIO_SYSTEM));
  return configs.length ? configs.flatMap(meshConfigProviders) : undefined;
}

/**
 * MS0221: Telemetry `tracing`, `metrics` and `accessLogging` providers the mesh config does not
 * define. Only concluded when a mesh config is known: the MeshConfig object (`--mesh-config`, or
 * the cluster's), else an `istio` ConfigMap in `istio-system` among the files (with several
 * revisions, a provider any of them defines is accepted).
 * @public
 */
export const telemetryProvidersAnalyzer: Analyzer = {
  id: 'istio.telemetry-providers',
  description: CODE.summary,
  inputs: [inputs.telemetry, { apiVersion: 'v1', kind: 'ConfigMap' }],
  codes: [CODE],
  analyze(snapshot) {
    const names = extensionProviderNames(snapshot);
    if (names === undefined) return [];
    const defined = new Set([...BUILT_IN_PROVIDERS, ...names]);
    return snapshot.list('telemetry.istio.io/v1', 'Telemetry').flatMap(t =>
      SECTIONS.flatMap(section =>
        arr(specOf(t)[section]).flatMap((entry: any, i: number) =>
          arr(entry?.providers).flatMap((provider: any, j: number) => {
            const name = provider?.name;
            if (typeof name !== 'string' || defined.has(name)) return [];
            return [
              findingFor(
                CODE,
                t,
                `/spec/${section}/${i}/providers/${j}/name`,
                `Telemetry provider "${name}" is not defined in the mesh config (defined: ${[
                  ...defined,
                ]
                  .sort()
                  .join(', ')}).`,
              ),
            ];
          }),
        ),
      ),
    );
  },
};
