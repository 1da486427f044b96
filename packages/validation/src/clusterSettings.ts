import type { AnalyzerInput } from '@meshstage/plugin-mesh-node';
import {
  apiGroup,
  createSnapshot,
  findingFor,
  pointerSegment,
} from '@meshstage/plugin-mesh-node';
import { ENGINE_CODES } from './codes';
import type { ManifestObject, ParsedManifests } from './parse';
import {
  readSettingsFile,
  SettingsFileError,
  SettingsFileKind,
} from './settingsFiles';

/** The kinds to read from a cluster to find the settings files of `kinds`. @public */
export function clusterSettingsInputs(
  kinds: readonly SettingsFileKind[],
): AnalyzerInput[] {
  return kinds.flatMap(k => k.inCluster?.inputs ?? []);
}

/**
 * The settings files a cluster keeps (see `SettingsFileKind.inCluster`), read from its objects
 * exactly as `readSettingsFile` reads a file given on the command line, for each kind that
 * `objects` do not already hold (a `--mesh-config` file wins). A document the mesh would reject
 * becomes one `MS0004` finding on the object that holds it, naming the field, line and column,
 * and the kind's object is then empty: the analysis uses the mesh's defaults rather than part of
 * a configuration the mesh refuses. Fields the mesh ignores are ignored. Pure.
 * @public
 */
export function readClusterSettings(
  objects: readonly ManifestObject[],
  kinds: readonly SettingsFileKind[],
): ParsedManifests {
  const has = (k: SettingsFileKind) =>
    objects.some(
      m =>
        m.object.kind === k.kind &&
        apiGroup(m.object.apiVersion) === apiGroup(k.apiVersion),
    );
  const wanted = kinds.filter(k => k.inCluster && !has(k));
  if (wanted.length === 0) return { objects: [], findings: [] };
  const snapshot = createSnapshot(objects.map(m => m.object));
  const out: ParsedManifests = { objects: [], findings: [] };
  for (const kind of wanted) {
    const found = kind.inCluster!.find(snapshot);
    const text = (found?.object as { data?: Record<string, unknown> })?.data?.[
      found?.key ?? ''
    ];
    if (!found || typeof text !== 'string') continue;
    const { object, key } = found;
    const where = `${object.kind} ${object.metadata.namespace}/${object.metadata.name} data.${key}`;
    try {
      // Findings on the settings point at the ConfigMap, not into its embedded text.
      out.objects.push({
        object: readSettingsFile(where, text, kind).object.object,
      });
    } catch (e) {
      if (!(e instanceof SettingsFileError)) throw e;
      const p = e.problem;
      out.findings.push(
        findingFor(
          ENGINE_CODES.clusterSettingsRejected,
          object,
          `/data/${pointerSegment(key)}`,
          `The ${kind.title} in ${where} is one the mesh rejects (line ${
            p.line
          }, column ${p.column}: ${p.field ? `${p.field}: ` : ''}${
            p.message
          }); validated with the mesh's defaults instead.`,
        ),
      );
      out.objects.push({
        object: {
          apiVersion: kind.apiVersion,
          kind: kind.kind,
          metadata: {
            name: kind.name,
            ...(kind.namespace !== undefined && { namespace: kind.namespace }),
          },
          spec: {},
        },
      });
    }
  }
  return out;
}
