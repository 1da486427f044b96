import type { Finding } from '@meshstage/plugin-mesh-common';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerMesh,
  FindingCodeInfo,
  MeshAdapter,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { apiGroup } from '@meshstage/plugin-mesh-node';
import { genericAnalyzers } from './analyzers/generic';
import { readClusterObjects, type UnreadableKind } from './cluster';
import { clusterSettingsInputs, readClusterSettings } from './clusterSettings';
import { findingCodes, mergeManifests, runAnalysis } from './engine';
import { parseManifests } from './parse';
import type { ManifestObject } from './parse';
import type { MeshSettingsFiles, SettingsFileKind } from './settingsFiles';
import type { Suppression } from './suppression';

/** A manifest file's name and text. @public */
export interface ManifestFile {
  file: string;
  text: string;
}

/** Options of {@link validateManifests} and {@link validate}. @public */
export interface ValidateOptions {
  /**
   * The adapters whose meshes (injection) and rules (`analyzers()`) apply, and whose mesh-wide
   * settings files (`settingsFiles()`, when an adapter has them) a cluster validation reads from
   * the cluster.
   */
  adapters?: readonly (Pick<MeshAdapter, 'id' | 'injection' | 'analyzers'> &
    MeshSettingsFiles)[];
  /** Extra analyzers, run besides the generic ones and the adapters'. */
  analyzers?: readonly Analyzer[];
  /** Run only these analyzers instead of generic + adapters' + extra ones. */
  only?: readonly Analyzer[];
  suppressions?: readonly Suppression[];
  /** Namespace of namespaced file objects that name none; `default`. */
  defaultNamespace?: string;
  /**
   * The time validity periods (certificates) are checked against. `validate` uses the current
   * time when absent; `validateManifests`, which is pure, checks none then.
   */
  now?: number;
}

/** Findings and the registry of codes the analyzers can report (for SARIF rules). @public */
export interface ValidationResult {
  findings: Finding[];
  codes: FindingCodeInfo[];
}

/** The analyzers and meshes that `options` select. @public */
export function selectAnalyzers(options: ValidateOptions): {
  analyzers: Analyzer[];
  meshes: AnalyzerMesh[];
} {
  const adapters = options.adapters ?? [];
  const analyzers = options.only
    ? [...options.only]
    : [
        ...genericAnalyzers(),
        ...adapters.flatMap(a => a.analyzers?.() ?? []),
        ...(options.analyzers ?? []),
      ];
  return {
    analyzers,
    meshes: adapters.map(a => ({ id: a.id, injection: a.injection })),
  };
}

/**
 * Validates manifest files (no cluster). Pure: the caller reads the files.
 * @public
 */
export function validateManifests(
  files: readonly ManifestFile[],
  options: ValidateOptions = {},
): ValidationResult {
  const { analyzers, meshes } = selectAnalyzers(options);
  const parsed = files.map(f =>
    parseManifests(f.file, f.text, {
      defaultNamespace: options.defaultNamespace,
    }),
  );
  const findings = runAnalysis(mergeManifests([], parsed), {
    analyzers,
    meshes,
    suppressions: options.suppressions,
    now: options.now,
  });
  return { findings, codes: findingCodes(analyzers) };
}

/**
 * Validates a cluster's configuration, with files merged over it when given (a file object
 * replaces the cluster object of the same identity). Only the kinds the analyzers read are
 * fetched from the cluster. With a cluster, the adapters' mesh-wide settings files not given in
 * `input.settings` are read from where the cluster keeps them (see `readClusterSettings`). A kind
 * the cluster refuses to list (403) is an `MS0005` finding, and the rules that read it do not run
 * (see `runAnalysis`); any other failure to read the cluster rejects.
 * @public
 */
export async function validate(
  input: {
    files?: readonly ManifestFile[];
    cluster?: MeshClusterView;
    /**
     * Mesh-wide settings read with `readSettingsFile` (e.g. `--mesh-config`): objects that
     * replace the cluster's of the same identity, as files do.
     */
    settings?: readonly ManifestObject[];
  },
  options: ValidateOptions = {},
): Promise<ValidationResult> {
  const { analyzers, meshes } = selectAnalyzers(options);
  const settingsKinds = input.cluster
    ? (options.adapters ?? []).flatMap(a => a.settingsFiles?.() ?? [])
    : [];
  const { objects: clusterObjects, unreadable } = input.cluster
    ? await readClusterObjects(
        input.cluster,
        analyzers,
        clusterSettingsInputs(settingsKinds),
      )
    : { objects: [], unreadable: [] };
  const parsed = (input.files ?? []).map(f =>
    parseManifests(f.file, f.text, {
      defaultNamespace: options.defaultNamespace,
    }),
  );
  if (input.settings?.length)
    parsed.unshift({ objects: [...input.settings], findings: [] });
  const merged = mergeManifests(clusterObjects, parsed);
  const fromCluster = readClusterSettings(merged.objects, settingsKinds);
  const findings = runAnalysis(mergeManifests([], [merged, fromCluster]), {
    analyzers,
    meshes,
    suppressions: options.suppressions,
    includesCluster: Boolean(input.cluster),
    now: options.now ?? Date.now(),
    unreadable: withSettings(unreadable, settingsKinds, merged.objects),
  });
  return { findings, codes: findingCodes(analyzers) };
}

/**
 * Each refused kind with the titles of the mesh-wide settings read from it that neither files nor
 * settings gave: those may then be the mesh's defaults rather than the cluster's.
 */
function withSettings(
  unreadable: readonly UnreadableKind[],
  kinds: readonly SettingsFileKind[],
  objects: readonly ManifestObject[],
): UnreadableKind[] {
  const same = (a: AnalyzerInput, b: AnalyzerInput) =>
    a.kind === b.kind && apiGroup(a.apiVersion) === apiGroup(b.apiVersion);
  const fromCluster = kinds.filter(
    k => k.inCluster && !objects.some(m => same(m.object, k)),
  );
  return unreadable.map(u => {
    const settings = fromCluster
      .filter(k => k.inCluster!.inputs.some(i => same(i, u)))
      .map(k => k.title);
    return settings.length ? { ...u, settings } : u;
  });
}
