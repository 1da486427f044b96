import type { PlanObject, PlanStep } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from './kube';

/**
 * The vendor's Helm charts: what an adapter declares so that the backend can list the versions a
 * vendor publishes and render them with the real `helm template`. All members are optional on
 * the contract ({@link MeshAdapter.charts}, {@link PlanContext.vendorManifests}), so adapters
 * without charts keep compiling and keep their built-in renderer.
 */

/** One chart an adapter installs from a chart source, in install order. @public */
export interface MeshChart {
  /** The chart's name in the repository, e.g. `istiod`, `linkerd-control-plane`. */
  name: string;
  /**
   * How this chart's version is found for a mesh version, when it is not the source's
   * `versionChart`: `meshVersion` (default), the entry naming the same mesh version;
   * `chartVersion`, the entry with the same chart version as the `versionChart`'s (Linkerd's
   * edge `linkerd-crds`, which carries no appVersion). `pins` win over both.
   */
  match?: 'meshVersion' | 'chartVersion';
}

/**
 * A Helm repository of the vendor's and the mesh versions it serves. The repository URL is only
 * the documented default: `mesh.charts` config overrides it per mesh and source, or replaces it
 * with a mirror; a local directory of archives is used before any network.
 * @public
 */
export interface MeshChartSource {
  /**
   * Stable id of the source within the mesh, e.g. `release` (Istio), `stable`, `edge` (Linkerd).
   * Config names sources by it (`mesh.charts.repositories.<mesh>.<id>`), and a mirror serves it
   * under `<mirror>/<mesh>/<id>`.
   */
  id: string;
  /** The vendor's documented repository: an HTTP Helm repository, or an `oci://` reference. */
  repository: string;
  /** The charts installed from it, in install order (CRDs first). */
  charts: MeshChart[];
  /**
   * The mesh versions this source serves: a semver range (`>=1.22.0 <2`), applied to the
   * version's numeric part when the versions carry a channel (`edge-26.8.3` → `26.8.3`).
   */
  versions: string;
  /**
   * For meshes whose versions carry a release channel (Linkerd: `stable-2.14.10`,
   * `edge-26.8.3`): the channel prefix this source serves. Versions of other channels in the
   * same index are ignored.
   */
  channel?: string;
  /**
   * Where the index entry names the mesh version: the chart `version` (Istio, whose chart and
   * mesh versions are the same) or its `appVersion` (Linkerd, whose chart versions differ).
   * Defaults to `version`.
   */
  meshVersionFrom?: 'version' | 'appVersion';
  /**
   * The chart whose index entries define the mesh versions (default: the first chart), e.g.
   * `linkerd-control-plane`.
   */
  versionChart?: string;
  /**
   * Chart versions that no rule derives, by mesh version then chart, e.g. Linkerd
   * `stable-2.14.10` ships `linkerd-crds` 1.8.0 beside `linkerd-control-plane` 1.16.11.
   */
  pins?: Record<string, Record<string, string>>;
}

/**
 * An adapter's declaration of its vendor's charts ({@link MeshAdapter.charts}).
 * @public
 */
export interface MeshChartsDeclaration {
  /** The chart sources, e.g. Istio's release repository; Linkerd's stable and edge ones. */
  sources: MeshChartSource[];
  /**
   * Order of channels, oldest first, when versions carry one (Linkerd: `['stable', 'edge']`).
   * Versions are ordered by channel, then numerically within it.
   */
  channelOrder?: string[];
}

/** A version an adapter can install now, and where its objects come from. @public */
export interface InstallableMeshVersion {
  /** The mesh version (`1.30.3`, `edge-26.8.3`). */
  version: string;
  /** `helm`: rendered from the vendor's charts; `builtin`: the adapter's own renderer. */
  source: 'helm' | 'builtin';
  /** For `helm`: the chart source's id and effective repository (after overrides and mirror). */
  chartSource?: string;
  repository?: string;
  /** For `helm`: each chart's version for this mesh version (Linkerd's differ from it). */
  charts?: Array<{ name: string; version: string }>;
}

/** What {@link VendorManifests.render} renders: one chart of a mesh version. @public */
export interface VendorRenderRequest {
  /** The mesh version (as listed by {@link VendorManifests.versions}). */
  version: string;
  /** The chart, one of the declared charts, e.g. `istiod`. */
  chart: string;
  /** The Helm release name, e.g. `istiod-1-30-3`; recorded in the objects' labels by the chart. */
  release: string;
  /** The release namespace (`--namespace`). */
  namespace: string;
  /**
   * The values the adapter owns (revision, profile, hub/tag, replicas, resources, the user's
   * `values`), merged in order with Helm's rules: maps merge, later wins, lists are replaced, a
   * `null` removes the chart's default.
   */
  values?: Record<string, unknown> | Array<Record<string, unknown>>;
}

/**
 * The vendor objects for a mesh version: the seam through which an adapter's planner renders the
 * vendor's charts (`helm template`) instead of its built-in renderer. Passed in
 * {@link PlanContext.vendorManifests} for adapters that declare {@link MeshAdapter.charts}.
 * @public
 */
export interface VendorManifests {
  /** `helm` (the vendor's charts) or `builtin` (`mesh.charts.source: builtin`: use your renderer). */
  readonly source: 'helm' | 'builtin';
  /** The versions installable now, oldest first, with their source. */
  versions(): InstallableMeshVersion[];
  /**
   * Whether `version` is rendered from the vendor's charts: `source` is `helm` and the chart
   * repository lists it. When false, plan with the built-in renderer.
   */
  rendersVersion(version: string): boolean;
  /**
   * The chart's objects for the version and values, as `helm template` renders them (test hooks
   * skipped, CRDs included, the release namespace set on namespaced objects without one).
   * Rejects with a readable message (the chart or version is unknown, helm failed, timed out).
   */
  render(request: VendorRenderRequest): Promise<PlanObject[]>;
  /**
   * Delete steps for the objects an upgrade leaves behind, or an uninstall removes (`next: []`):
   * the objects of the previous release (what earlier operations applied for this mesh on the
   * cluster, and the live objects carrying the release's chart labels, and `installed`) that
   * `next` no longer contains. Admission first (webhooks), then workloads, config, RBAC; CRDs
   * only with `deleteCustomResourceDefinitions`, after everything else; Namespaces never (the
   * planner deletes its namespace itself, last).
   */
  pruneSteps(options: {
    /** The objects the new release contains. */
    next: PlanObject[];
    /** Helm release names whose objects are candidates (e.g. `istiod-1-29-6`). */
    releases: string[];
    /**
     * A label selector (equality-based: `k=v`, `k!=v`, `k`, comma-separated) that also makes
     * objects candidates, for charts that set no release labels (Linkerd's:
     * `linkerd.io/control-plane-ns=linkerd`).
     */
    labelSelector?: string;
    /**
     * The objects the planner knows the previous release holds (its rendering of the installed
     * version, when it has one): candidates too, and their kinds are looked up live by the
     * release labels. An uninstall passes them with `next: []`.
     */
    installed?: PlanObject[];
    /**
     * Recorded objects (applied by earlier operations) that are candidates although they carry
     * no release label and match no `labelSelector`, e.g. the built-in renderer's objects.
     */
    recorded?: (object: KubeObject) => boolean;
    /**
     * Uninstalling the last control plane: CustomResourceDefinitions are candidates too (deleted
     * last, as `istioctl uninstall --purge` does; removing one deletes every resource of it).
     * Upgrades never set it: a CRD a new version no longer ships stays.
     */
    deleteCustomResourceDefinitions?: boolean;
  }): Promise<PlanStep[]>;
}

declare module './adapter' {
  interface MeshAdapter {
    /**
     * The vendor's Helm charts this adapter installs, per version range. With it, the backend
     * lists the versions the chart repositories publish (in `GET /adapters`, and as installable
     * versions) and passes {@link PlanContext.vendorManifests} to `plan`.
     */
    readonly charts?: MeshChartsDeclaration;
  }
  interface PlanContext {
    /**
     * Renders the vendor's charts (for adapters that declare {@link MeshAdapter.charts}); absent
     * in backends without the charts service, where the built-in renderer is the only choice.
     */
    readonly vendorManifests?: VendorManifests;
  }
}
