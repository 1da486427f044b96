import type { Finding } from '@meshstage/plugin-mesh-common';
import {
  FINDING_SEVERITIES,
  findingDocsUrl,
} from '@meshstage/plugin-mesh-common';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerMesh,
  FindingCodeInfo,
  KubeObject,
} from '@meshstage/plugin-mesh-node';
import {
  apiGroup,
  createSnapshot,
  objectIdentity,
  resourceRef,
} from '@meshstage/plugin-mesh-node';
import type { UnreadableKind } from './cluster';
import { ENGINE_CODES } from './codes';
import { validateSchema } from './schema';
import type { ManifestObject, ParsedManifests } from './parse';
import { positionOf } from './positions';
import type { ManifestOrigin } from './positions';
import { applySuppressions, Suppression } from './suppression';

/** Options of {@link runAnalysis}. @public */
export interface AnalysisOptions {
  analyzers: readonly Analyzer[];
  meshes?: readonly AnalyzerMesh[];
  suppressions?: readonly Suppression[];
  /** Whether the objects include a live cluster's (see `AnalyzerContext.includesCluster`). */
  includesCluster?: boolean;
  /** The time validity periods are checked against (see `AnalyzerContext.now`). */
  now?: number;
  /**
   * Kinds the cluster refused to list: each is an `MS0005` finding naming the checks skipped; an
   * analyzer reading any of them runs only when it `handlesUnreadableKinds`.
   */
  unreadable?: readonly UnreadableKind[];
}

/**
 * Merges cluster objects with objects from files: a file object replaces the cluster object of the
 * same identity (group, kind, namespace, name), as `istioctl analyze` does with local files, so a
 * change is analyzed against the rest of the live configuration. Pure.
 * @public
 */
export function mergeManifests(
  clusterObjects: readonly KubeObject[],
  files: readonly ParsedManifests[],
): ParsedManifests {
  const byId = new Map<string, ManifestObject>();
  for (const object of clusterObjects) {
    byId.set(objectIdentity(resourceRef(object)), { object });
  }
  const findings: Finding[] = [];
  for (const f of files) {
    for (const m of f.objects) {
      const id = objectIdentity(resourceRef(m.object));
      byId.delete(id); // re-insert so the order is cluster first, then files in order
      byId.set(id, m);
    }
    findings.push(...f.findings);
  }
  return { objects: [...byId.values()], findings };
}

/** The union of analyzers' inputs, one entry per group and kind. @public */
export function analyzerInputs(
  analyzers: readonly Analyzer[],
): AnalyzerInput[] {
  const seen = new Map<string, AnalyzerInput>();
  for (const a of analyzers) {
    for (const input of a.inputs) {
      const key = `${apiGroup(input.apiVersion)}/${input.kind}`;
      if (!seen.has(key)) seen.set(key, input);
    }
  }
  return [...seen.values()];
}

/** Every code the analyzers (and the engine) can report, sorted by code. @public */
export function findingCodes(
  analyzers: readonly Analyzer[],
): FindingCodeInfo[] {
  const codes = new Map<string, FindingCodeInfo>();
  for (const c of Object.values(ENGINE_CODES)) codes.set(c.code, c);
  for (const a of analyzers) for (const c of a.codes) codes.set(c.code, c);
  return [...codes.values()].sort((a, b) => a.code.localeCompare(b.code));
}

function compareFindings(a: Finding, b: Finding): number {
  const fa = a.source?.file ?? '\uffff';
  const fb = b.source?.file ?? '\uffff';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const byLine = (a.source?.line ?? 0) - (b.source?.line ?? 0);
  if (byLine) return byLine;
  const byCol = (a.source?.column ?? 0) - (b.source?.column ?? 0);
  if (byCol) return byCol;
  const bySev =
    FINDING_SEVERITIES.indexOf(a.severity) -
    FINDING_SEVERITIES.indexOf(b.severity);
  if (bySev) return bySev;
  return a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}

const kindOf = (i: AnalyzerInput) => `${apiGroup(i.apiVersion)}/${i.kind}`;

/** The `MS0005` finding of a kind the cluster refused to list, naming the codes it skipped. */
function unreadableFinding(
  kind: UnreadableKind,
  analyzers: readonly Analyzer[],
): Finding {
  const codes = [
    ...new Set(
      analyzers
        .filter(a => a.inputs.some(i => kindOf(i) === kindOf(kind)))
        .flatMap(a => a.codes.map(c => c.code)),
    ),
  ].sort();
  return {
    code: ENGINE_CODES.clusterKindForbidden.code,
    severity: ENGINE_CODES.clusterKindForbidden.severity,
    message: `MeshStage may not list ${kind.kind} objects (${
      kind.apiVersion
    }) on this cluster, so the checks that read them${
      codes.length ? ` (${codes.join(', ')})` : ''
    } were skipped${
      kind.settings?.length
        ? ` and the ${kind.settings.join(
            ' and ',
          )} kept in them may be the mesh's defaults`
        : ''
    }: ${kind.reason}`,
  };
}

/**
 * Runs analyzers over objects and returns their findings with file positions, docs URLs and
 * suppressions applied, sorted by file and line (findings on cluster-only objects last). An
 * analyzer that throws becomes an `MS0003` finding; the others still run. An analyzer that reads
 * a kind the cluster refused to list (`unreadable`) is not run unless it `handlesUnreadableKinds`.
 * Pure.
 * @public
 */
export function runAnalysis(
  input: ParsedManifests,
  options: AnalysisOptions,
): Finding[] {
  const snapshot = createSnapshot(input.objects.map(m => m.object));
  const origins = new Map<string, ManifestOrigin>();
  for (const m of input.objects) {
    const id = objectIdentity(resourceRef(m.object));
    if (m.origin) origins.set(id, m.origin);
    else origins.delete(id);
  }
  const unreadable = options.unreadable ?? [];
  const unreadableKinds = new Set(unreadable.map(kindOf));
  const ctx = {
    meshes: options.meshes ?? [],
    includesCluster: options.includesCluster ?? false,
    validateSchema,
    ...(options.now !== undefined && { now: options.now }),
    ...(unreadable.length > 0 && {
      unreadable: unreadable.map(u => ({
        apiVersion: u.apiVersion,
        kind: u.kind,
      })),
    }),
  };
  const raw: Finding[] = [...input.findings];
  for (const kind of unreadable) {
    raw.push(unreadableFinding(kind, options.analyzers));
  }
  for (const analyzer of options.analyzers) {
    if (
      !analyzer.handlesUnreadableKinds &&
      analyzer.inputs.some(i => unreadableKinds.has(kindOf(i)))
    ) {
      continue;
    }
    try {
      raw.push(...analyzer.analyze(snapshot, ctx));
    } catch (e) {
      raw.push({
        code: ENGINE_CODES.analyzerFailed.code,
        severity: 'error',
        message: `Analyzer ${analyzer.id} failed: ${
          (e as Error)?.message ?? e
        }`,
      });
    }
  }
  const seen = new Set<string>();
  const located: Finding[] = [];
  for (const f of raw) {
    const origin = f.resource
      ? origins.get(objectIdentity(f.resource))
      : undefined;
    const finding: Finding = {
      ...f,
      ...(origin &&
        !f.source && {
          source: { file: origin.file, ...positionOf(origin, f.path) },
        }),
      docs: f.docs ?? findingDocsUrl(f.code),
    };
    // Two analyzers (or one rule reached twice) may report the same thing: show it once.
    const key = JSON.stringify([
      finding.code,
      finding.message,
      finding.resource,
      finding.path,
    ]);
    if (seen.has(key)) continue;
    seen.add(key);
    located.push(finding);
  }
  return applySuppressions(
    located,
    f =>
      f.resource
        ? snapshot.get(
            f.resource.apiVersion,
            f.resource.kind,
            f.resource.namespace,
            f.resource.name,
          )
        : undefined,
    options.suppressions,
  ).sort(compareFindings);
}
