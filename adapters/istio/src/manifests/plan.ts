import type {
  LifecycleRequest,
  Plan,
  PlanObject,
  PlanStep,
  ResolvedCanaryGate,
  UpgradeRequest,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import type {
  KubeDeployment,
  KubeObject,
  MeshDetection,
  PlanContext,
} from '@meshstage/plugin-mesh-node';
import { istioSampleApps } from '../samples';
import {
  planSampleApp,
  applyStep,
  canaryBenchmarkStep,
  canaryGateStep,
  deleteStep,
  deploymentRef,
  kubeResources,
  patchStep,
  restartDeploymentSteps,
  sortVersions,
  waitStep,
} from '@meshstage/plugin-mesh-node';
import {
  DEFAULT_REVISION,
  INJECTION_LABEL,
  REVISION_LABEL,
} from '../constants';
import {
  ISTIO_NAMESPACE,
  isSharedIstioObject,
  renderIstioControlPlane,
  renderIstioRevisionTag,
  revisionForVersion,
  revisioned,
} from './controlPlane';

// ---------------------------------------------------------------- revision tags

/** The revision tags on the cluster, tag → revision. */
function tagsOf(detection: MeshDetection): Map<string, string> {
  return new Map((detection.revisionTags ?? []).map(t => [t.tag, t.revision]));
}

/** Applies a tag's webhook and Service pointing at `revision` (created, or moved). */
function setTagSteps(
  tag: string,
  revision: string,
  version: string,
): PlanStep[] {
  return renderIstioRevisionTag({ tag, revision, version }).map(applyStep);
}

/** Deletes a tag: its webhook first, so no pod is sent anywhere by it, then its Service. */
function removeTagSteps(tag: string, revision: string, version: string) {
  return renderIstioRevisionTag({ tag, revision, version })
    .reverse()
    .map(deleteStep);
}

/**
 * Namespaces that follow a tag: bound with `istio.io/rev=<tag>`, or for `default` with
 * `istio-injection=enabled` (both detected as revision `<tag>`).
 */
function followersOf(detection: MeshDetection, tag: string): string[] {
  return detection.namespaces
    .filter(n => n.injectionEnabled && (n.revision ?? DEFAULT_REVISION) === tag)
    .map(n => n.name);
}

async function restartNamespaceSteps(
  ctx: PlanContext,
  namespace: string,
  reason: string,
): Promise<PlanStep[]> {
  const deployments = await ctx.cluster.list<KubeDeployment>(
    kubeResources.deployments,
    { namespace },
  );
  return restartDeploymentSteps(
    deployments,
    ctx.now ?? new Date().toISOString(),
    reason,
  );
}

function requireTagName(tag: string, installed: Revision[]) {
  if (installed.some(r => r.revision === tag && tag !== DEFAULT_REVISION)) {
    throw new Error(
      `Revision tag ${tag} would have the name of an installed revision; choose another name`,
    );
  }
}

const namespaceRef = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  name,
});

/** A control plane as the plan sees it: a revision and the version it runs. */
interface Revision {
  revision: string;
  version: string;
}

function revisionsOf(detection: MeshDetection): Revision[] {
  const seen = new Map<string, string>();
  for (const c of detection.components) {
    if (c.version && !seen.has(c.revision ?? DEFAULT_REVISION)) {
      seen.set(c.revision ?? DEFAULT_REVISION, c.version);
    }
  }
  return [...seen].map(([revision, version]) => ({ revision, version }));
}

function newest(revisions: Revision[]): Revision | undefined {
  const versions = sortVersions(revisions.map(r => r.version));
  const top = versions[versions.length - 1];
  return revisions.find(r => r.version === top);
}

/** Labels that bind a namespace to a revision; the other switch is removed (`null`) because `istio-injection` wins over `istio.io/rev`. */
function bindingLabels(
  revision: string | undefined,
): Record<string, string | null> {
  if (!revision) return { [INJECTION_LABEL]: null, [REVISION_LABEL]: null };
  return revision === DEFAULT_REVISION
    ? { [INJECTION_LABEL]: 'enabled', [REVISION_LABEL]: null }
    : { [REVISION_LABEL]: revision, [INJECTION_LABEL]: null };
}

async function moveNamespaceSteps(
  ctx: PlanContext,
  namespace: string,
  revision: string | undefined,
  reason: string,
  /** The restart annotation's value; a second restart in one plan needs another. */
  restartedAt = ctx.now ?? new Date().toISOString(),
  restartReason = `restart so pods ${
    revision ? `get revision ${revision}'s proxy` : 'lose their proxy'
  }`,
): Promise<PlanStep[]> {
  const deployments = await ctx.cluster.list<KubeDeployment>(
    kubeResources.deployments,
    { namespace },
  );
  return [
    patchStep(
      namespaceRef(namespace),
      { metadata: { labels: bindingLabels(revision) } },
      reason,
    ),
    ...restartDeploymentSteps(deployments, restartedAt, restartReason),
  ];
}

// ---------------------------------------------------------------- canary gate

/** The gate of a canary upgrade, as the backend resolved it; refuses a gate it did not resolve. */
function canaryGateOf(
  request: UpgradeRequest,
  ctx: PlanContext,
): ResolvedCanaryGate | undefined {
  if (!request.gate) return undefined;
  if (!ctx.canaryGate) {
    throw new Error(
      'A gated canary upgrade needs its gate resolved by the backend (PlanContext.canaryGate)',
    );
  }
  return ctx.canaryGate;
}

/**
 * The gated part of a canary upgrade, on the gate's namespace: benchmark it on the stable
 * revision serving it now, move it (alone) to the new revision, benchmark again, and decide;
 * the gate step carries the steps that move it back to its binding (revision or tag, which
 * still points at the stable revision then). The baseline is measured on the same namespace just
 * before the move, so both runs see the same workloads and path.
 */
async function gatedNamespaceSteps(
  ctx: PlanContext,
  gate: ResolvedCanaryGate,
  installed: Revision[],
  candidate: Revision,
): Promise<PlanStep[]> {
  const { detection } = ctx;
  const ns = injectedNamespaces(detection).find(n => n.name === gate.namespace);
  if (!ns) {
    throw new Error(
      `Namespace ${gate.namespace} is not injected by Istio: the gate moves one of the upgrade's namespaces first`,
    );
  }
  const binding = ns.revision ?? DEFAULT_REVISION;
  const servingRevision = tagsOf(detection).get(binding) ?? binding;
  const stable = installed.find(r => r.revision === servingRevision);
  if (!stable) {
    throw new Error(
      `Namespace ${ns.name} is bound to ${binding}, which no installed revision serves`,
    );
  }
  const now = ctx.now ?? new Date().toISOString();
  // The rollback restarts the same Deployments again: it needs a restart value of its own.
  const rollbackAt = new Date(Date.parse(now) + 1).toISOString();
  return [
    canaryBenchmarkStep(gate, 'baseline', stable),
    ...(await moveNamespaceSteps(
      ctx,
      ns.name,
      candidate.revision,
      `move to revision ${candidate.revision} first, for the canary gate`,
      now,
    )),
    canaryBenchmarkStep(gate, 'candidate', candidate),
    canaryGateStep(
      gate,
      stable,
      candidate,
      await moveNamespaceSteps(
        ctx,
        ns.name,
        binding,
        binding === stable.revision
          ? `move back to revision ${stable.revision}`
          : `move back to tag ${binding} (revision ${stable.revision})`,
        rollbackAt,
        `restart so pods get revision ${stable.revision}'s proxy again`,
      ),
    ),
  ];
}

/** Objects of `full` that `partial` lacks or holds otherwise (what a tagged render adds). */
function objectsBeyond(
  full: PlanObject[],
  partial: PlanObject[],
): PlanObject[] {
  const key = (o: PlanObject) => formatObjectRef(objectRef(o));
  const before = new Map(partial.map(o => [key(o), JSON.stringify(o)]));
  return full.filter(o => before.get(key(o)) !== JSON.stringify(o));
}

function installSteps(objects: PlanObject[], revision: string): PlanStep[] {
  return [
    ...objects.map(applyStep),
    waitStep(
      deploymentRef(revisioned('istiod', revision), ISTIO_NAMESPACE),
      'Available',
    ),
  ];
}

/** Deletes one revision's own objects, newest first (the webhook goes before istiod so no pod is sent to a dying injector). */
function removeRevisionSteps(r: Revision): PlanStep[] {
  return renderIstioControlPlane({ version: r.version, revision: r.revision })
    .filter(o => !isSharedIstioObject(o))
    .reverse()
    .map(deleteStep);
}

// ---------------------------------------------------------------- vendor charts

/** Helm release of Istio's `base` chart (as Istio's docs name it). */
export const ISTIO_BASE_RELEASE = 'istio-base';

/** Helm release of a revision's `istiod` chart: `istiod`, or `istiod-<rev>`. */
export const istiodRelease = (revision?: string) =>
  revisioned('istiod', revision);

const HELM_REPLICAS: Record<string, number> = { default: 2, minimal: 1 };

/** Whether the backend renders this version from Istio's own charts (else the built-in renderer). */
function fromCharts(ctx: PlanContext, version: string): boolean {
  return Boolean(ctx.vendorManifests?.rendersVersion(version));
}

/**
 * A control plane's objects: from Istio's charts (`base`, then `istiod` as release `istiod` or
 * `istiod-<rev>`) when the backend renders this version with helm, else from the built-in
 * renderer. With the charts, the values MeshStage owns are the revision, the revision tags that
 * point at it (rendered by the chart's `revisionTags`), the replicas of the profile, then the
 * user's `values` (Helm values of the `istiod` chart). The hub and tag are left to the chart:
 * Istio's released charts default to the right ones for their version
 * (`registry.istio.io/release` from 1.30, `docker.io/istio` before), and setting them would only
 * change the chart's `original-values`.
 */
async function controlPlaneObjects(
  ctx: PlanContext,
  options: {
    version: string;
    revision?: string;
    profile?: string;
    values?: Record<string, unknown>;
    revisionTags?: string[];
  },
): Promise<PlanObject[]> {
  const vendor = ctx.vendorManifests;
  if (!vendor || !fromCharts(ctx, options.version)) {
    return renderIstioControlPlane({
      version: options.version,
      revision: options.revision,
      profile: options.profile,
      values: options.values,
    });
  }
  const profile = options.profile ?? 'default';
  const replicas = HELM_REPLICAS[profile];
  if (!replicas) {
    throw new Error(
      `Unknown Istio profile '${profile}'; known profiles: ${Object.keys(
        HELM_REPLICAS,
      ).join(', ')}`,
    );
  }
  const revision = options.revision ?? DEFAULT_REVISION;
  const namespace: PlanObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ISTIO_NAMESPACE },
  };
  const base = await vendor.render({
    version: options.version,
    chart: 'base',
    release: ISTIO_BASE_RELEASE,
    namespace: ISTIO_NAMESPACE,
    values: {},
  });
  const owned = { replicaCount: replicas, autoscaleEnabled: false };
  const istiod = await vendor.render({
    version: options.version,
    chart: 'istiod',
    release: istiodRelease(revision),
    namespace: ISTIO_NAMESPACE,
    values: [
      {
        revision: revision === DEFAULT_REVISION ? '' : revision,
        ...(options.revisionTags?.length
          ? { revisionTags: options.revisionTags }
          : {}),
        // 1.24+ charts read these at the top level, older ones under `pilot`.
        ...owned,
        pilot: owned,
      },
      options.values ?? {},
    ],
  });
  return [namespace, ...base, ...istiod];
}

/**
 * The versions the planner accepts: with the charts service, what it lists (the chart
 * repositories' versions, and the built-in ones it offers), else the built-in ones.
 */
function supportedOf(
  ctx: PlanContext,
  builtin: readonly string[],
): readonly string[] {
  return ctx.vendorManifests
    ? ctx.vendorManifests.versions().map(v => v.version)
    : builtin;
}

/** What a step acts on, to tell steps on the same object apart from others. */
function stepSubject(s: PlanStep): unknown {
  if ('target' in s) return s.target;
  return s.type === 'apply' ? s.object : s.description;
}

/**
 * Deletes revisions: those installed from the charts by their releases' objects that `next` no
 * longer holds (`pruneSteps`), the others by the built-in renderer's objects.
 */
async function removeRevisionsSteps(
  ctx: PlanContext,
  revisions: Revision[],
  next: PlanObject[],
): Promise<PlanStep[]> {
  const charted = revisions.filter(r => fromCharts(ctx, r.version));
  const steps = revisions
    .filter(r => !charted.includes(r))
    .flatMap(removeRevisionSteps);
  if (charted.length && ctx.vendorManifests) {
    const key = (s: PlanStep) => JSON.stringify(stepSubject(s));
    const seen = new Set(steps.map(key));
    const pruned = await ctx.vendorManifests.pruneSteps({
      next,
      releases: charted.map(r => istiodRelease(r.revision)),
    });
    steps.unshift(...pruned.filter(s => !seen.has(key(s))));
  }
  return steps;
}

/** Whether a recorded object without release labels belongs to Istio's control plane. */
function recordedIstioObject(o: KubeObject): boolean {
  return o.metadata.namespace
    ? o.metadata.namespace === ISTIO_NAMESPACE
    : o.metadata.name.includes('istio');
}

/** Whether a recorded object belongs to one named revision (labelled with it or named after it). */
function recordedRevisionObject(o: KubeObject, revision: string): boolean {
  if (revision === DEFAULT_REVISION || isSharedIstioObject(o as PlanObject)) {
    return false;
  }
  return (
    o.metadata.labels?.[REVISION_LABEL] === revision ||
    (recordedIstioObject(o) &&
      new RegExp(`-${revision}(-|$)`).test(o.metadata.name))
  );
}

/**
 * An uninstall through the charts service: the objects of the installed versions that the
 * planner can render (Istio's charts when the backend has the version, else the built-in
 * renderer when it knows it; neither for a chart-only version the backend no longer lists),
 * and through `pruneSteps` with no next objects what earlier operations recorded and the live
 * objects labelled with the releases (`istiod[-<rev>]`, and `istio-base` with the last control
 * plane). Shared objects (`base`, CRDs, the namespace) go only with the last control plane,
 * the CRDs after everything else and the namespace last.
 */
async function uninstallSteps(
  ctx: PlanContext,
  targets: Revision[],
  full: boolean,
  tags: Map<string, string>,
  builtinVersions: readonly string[],
): Promise<PlanStep[]> {
  const known: PlanObject[] = [];
  for (const r of targets) {
    const tagged = [...tags]
      .filter(([, rev]) => rev === r.revision)
      .map(([tag]) => tag);
    if (fromCharts(ctx, r.version)) {
      known.push(
        ...(await controlPlaneObjects(ctx, {
          version: r.version,
          revision: r.revision,
          revisionTags: tagged,
        })),
      );
    } else if (builtinVersions.includes(r.version)) {
      known.push(
        ...renderIstioControlPlane({
          version: r.version,
          revision: r.revision,
        }),
        ...tagged.flatMap(tag =>
          renderIstioRevisionTag({
            tag,
            revision: r.revision,
            version: r.version,
          }),
        ),
      );
    }
  }
  const shared = (o: PlanObject) =>
    isSharedIstioObject(o) ||
    o.metadata.labels?.['app.kubernetes.io/instance'] === ISTIO_BASE_RELEASE;
  const steps = await ctx.vendorManifests!.pruneSteps({
    next: [],
    releases: [
      ...targets.map(r => istiodRelease(r.revision)),
      ...(full ? [ISTIO_BASE_RELEASE] : []),
    ],
    installed: known.filter(
      o => o.kind !== 'Namespace' && (full || !shared(o)),
    ),
    recorded: full
      ? recordedIstioObject
      : o => targets.some(r => recordedRevisionObject(o, r.revision)),
    deleteCustomResourceDefinitions: full,
  });
  if (full) steps.push(deleteStep(namespaceRef(ISTIO_NAMESPACE)));
  return steps;
}

/**
 * Deletes what the old `base` release holds that the new render (`next`) no longer contains,
 * except CRDs: as helm (whose Istio CRDs carry `helm.sh/resource-policy: keep`) and istioctl
 * upgrades do, an upgrade never deletes a CRD, since that deletes every resource of it. The CRDs
 * kept that way are returned for the plan's summary.
 */
async function pruneBaseSteps(
  ctx: PlanContext,
  next: PlanObject[],
): Promise<{ steps: PlanStep[]; keptCrds: string[] }> {
  const steps = await ctx.vendorManifests!.pruneSteps({
    next,
    releases: [ISTIO_BASE_RELEASE],
    deleteCustomResourceDefinitions: true,
  });
  const isCrd = (s: PlanStep) =>
    s.type === 'delete' && s.target.kind === 'CustomResourceDefinition';
  return {
    steps: steps.filter(s => !isCrd(s)),
    keptCrds: steps.flatMap(s =>
      s.type === 'delete' && isCrd(s) ? [s.target.name] : [],
    ),
  };
}

function keptCrdsNote(crds: string[], version: string): string {
  return crds.length
    ? `; keeps CRD${crds.length > 1 ? 's' : ''} ${crds.join(
        ', ',
      )} that ${version} no longer ships (upgrades never delete CRDs: that would delete their resources)`
    : '';
}

function requireSupported(version: string, supported: readonly string[]) {
  if (!supported.includes(version)) {
    throw new Error(
      `Istio ${version} is not supported; supported versions: ${supported.join(
        ', ',
      )}`,
    );
  }
}

/** Namespaces injected now, with their revision. */
function injectedNamespaces(detection: MeshDetection) {
  return detection.namespaces.filter(n => n.injectionEnabled);
}

/**
 * Plans an Istio lifecycle request. Reads the cluster only through `ctx` (the Deployments of
 * namespaces it restarts); everything else comes from the request and `ctx.detection`.
 */
export async function planIstio(
  request: LifecycleRequest,
  ctx: PlanContext,
  builtinVersions: readonly string[],
): Promise<Plan> {
  const { detection } = ctx;
  const supportedVersions = supportedOf(ctx, builtinVersions);
  const installed = revisionsOf(detection);
  switch (request.action) {
    case 'install': {
      requireSupported(request.version, supportedVersions);
      const revision = request.revision ?? DEFAULT_REVISION;
      if (installed.some(r => r.revision === revision)) {
        throw new Error(
          `Istio revision ${revision} is already installed on ${request.cluster}; upgrade it instead`,
        );
      }
      const tags = request.revisionTags ?? [];
      if (tags.includes(DEFAULT_REVISION) && revision === DEFAULT_REVISION) {
        throw new Error(
          'The revision-less control plane answers the default tag itself; install a named revision to tag it default',
        );
      }
      const helm = fromCharts(ctx, request.version);
      const objects = await controlPlaneObjects(ctx, {
        version: request.version,
        revision: request.revision,
        profile: request.profile,
        values: request.values,
        revisionTags: tags,
      });
      const steps = installSteps(objects, revision);
      const existing = tagsOf(detection);
      for (const tag of tags) {
        requireTagName(tag, installed);
        // With the charts, the istiod chart renders the tag (`revisionTags`).
        if (!helm) steps.push(...setTagSteps(tag, revision, request.version));
        if (existing.has(tag)) {
          for (const ns of followersOf(detection, tag)) {
            steps.push(
              ...(await restartNamespaceSteps(
                ctx,
                ns,
                `restart for revision ${revision} (tag ${tag})`,
              )),
            );
          }
        }
      }
      return {
        request,
        summary: `Install Istio ${request.version}${
          request.revision ? ` as revision ${request.revision}` : ''
        }${tags.length ? ` tagged ${tags.join(', ')}` : ''} on ${
          request.cluster
        }`,
        steps,
      };
    }
    case 'uninstall': {
      const targets = request.revision
        ? installed.filter(r => r.revision === request.revision)
        : installed;
      if (targets.length === 0) {
        throw new Error(
          `Istio${
            request.revision ? ` revision ${request.revision}` : ''
          } is not installed on ${request.cluster}`,
        );
      }
      const tags = tagsOf(detection);
      const steps: PlanStep[] = [];
      for (const [tag, rev] of tags) {
        if (!targets.some(t => t.revision === rev)) continue;
        if (targets.length < installed.length) {
          throw new Error(
            `Revision tag ${tag} points at revision ${rev}: move it (set-tag) before uninstalling that revision`,
          );
        }
        if (ctx.vendorManifests) continue;
        steps.push(
          ...removeTagSteps(
            tag,
            rev,
            targets.find(t => t.revision === rev)!.version,
          ),
        );
      }
      const full = targets.length === installed.length;
      if (ctx.vendorManifests) {
        // What is actually installed: the installed versions' objects (rendered from the
        // charts, or by the built-in renderer when it knows the version), what earlier
        // operations recorded and what carries the releases' labels.
        return {
          request,
          summary: `Uninstall Istio${
            request.revision ? ` revision ${request.revision}` : ''
          } from ${request.cluster}`,
          steps: await uninstallSteps(
            ctx,
            targets,
            full,
            tags,
            builtinVersions,
          ),
        };
      }
      steps.push(...targets.flatMap(removeRevisionSteps));
      // Shared objects (CRDs, namespace) go only with the last control plane: others still use them.
      if (full) {
        const shared = renderIstioControlPlane({
          version: targets[0].version,
        }).filter(isSharedIstioObject);
        steps.push(...shared.reverse().map(deleteStep));
      }
      return {
        request,
        summary: `Uninstall Istio${
          request.revision ? ` revision ${request.revision}` : ''
        } from ${request.cluster}`,
        steps,
      };
    }
    case 'onboard':
    case 'offboard': {
      let revision: string | undefined;
      if (request.action === 'onboard') {
        const target = newest(installed);
        if (!target)
          throw new Error(
            `Istio is not installed on ${request.cluster}; install it before onboarding ${request.namespace}`,
          );
        // With a `default` revision tag, istio-injection=enabled follows the tag through upgrades.
        revision = tagsOf(detection).has(DEFAULT_REVISION)
          ? DEFAULT_REVISION
          : target.revision;
      }
      return {
        request,
        summary: `${
          request.action === 'onboard' ? 'Onboard' : 'Offboard'
        } namespace ${request.namespace} ${
          request.action === 'onboard' ? 'to' : 'from'
        } Istio on ${request.cluster}`,
        steps: await moveNamespaceSteps(
          ctx,
          request.namespace,
          revision,
          request.action === 'onboard'
            ? 'enable sidecar injection'
            : 'disable sidecar injection',
        ),
      };
    }
    case 'upgrade': {
      requireSupported(request.toVersion, supportedVersions);
      if (installed.length === 0)
        throw new Error(
          `Istio is not installed on ${request.cluster}; install it first`,
        );
      if (request.strategy === 'in-place') {
        // Same revision, new image: istiod rolls, then workloads restart to pick up the new proxy.
        const steps: PlanStep[] = [];
        const next: PlanObject[] = [];
        const tagsNow = tagsOf(detection);
        for (const r of installed) {
          const objects = await controlPlaneObjects(ctx, {
            version: request.toVersion,
            revision: r.revision,
            revisionTags: [...tagsNow]
              .filter(([, rev]) => rev === r.revision)
              .map(([tag]) => tag),
          });
          next.push(...objects);
          steps.push(...installSteps(objects, r.revision));
        }
        // With the charts: what the old releases held that the new ones no longer render.
        let keptCrds: string[] = [];
        if (ctx.vendorManifests && fromCharts(ctx, request.toVersion)) {
          steps.push(
            ...(await ctx.vendorManifests.pruneSteps({
              next,
              releases: installed.map(r => istiodRelease(r.revision)),
            })),
          );
          const base = await pruneBaseSteps(ctx, next);
          steps.push(...base.steps);
          keptCrds = base.keptCrds;
        }
        for (const ns of injectedNamespaces(detection)) {
          const deployments = await ctx.cluster.list<KubeDeployment>(
            kubeResources.deployments,
            { namespace: ns.name },
          );
          steps.push(
            ...restartDeploymentSteps(
              deployments,
              ctx.now ?? new Date().toISOString(),
              `restart for Istio ${request.toVersion} proxies`,
            ),
          );
        }
        return {
          request,
          summary: `Upgrade Istio in place to ${request.toVersion} on ${
            request.cluster
          }${keptCrdsNote(keptCrds, request.toVersion)}`,
          steps,
        };
      }
      const revision = revisionForVersion(request.toVersion);
      if (installed.some(r => r.revision === revision)) {
        throw new Error(
          `Istio revision ${revision} already runs on ${request.cluster}`,
        );
      }
      // Tags move to the new revision: the ones asked for, and any that would otherwise point
      // at a revision this upgrade removes (its webhook would fail every pod it selects).
      const tags = tagsOf(detection);
      const moving = new Set(request.revisionTags ?? []);
      for (const tag of tags.keys()) moving.add(tag);
      for (const tag of moving) requireTagName(tag, installed);
      const helm = fromCharts(ctx, request.toVersion);
      const next = await controlPlaneObjects(ctx, {
        version: request.toVersion,
        revision,
        revisionTags: [...moving],
      });
      const gate = canaryGateOf(request, ctx);
      // Gated, the tags move only once the gate promotes the revision: install it untagged.
      const untagged =
        gate && helm
          ? await controlPlaneObjects(ctx, {
              version: request.toVersion,
              revision,
              revisionTags: [],
            })
          : next;
      const steps = installSteps(untagged, revision);
      if (gate) {
        steps.push(
          ...(await gatedNamespaceSteps(ctx, gate, installed, {
            revision,
            version: request.toVersion,
          })),
        );
        if (helm) steps.push(...objectsBeyond(next, untagged).map(applyStep));
      }
      if (!helm) {
        for (const tag of moving) {
          steps.push(...setTagSteps(tag, revision, request.toVersion));
        }
      }
      for (const ns of injectedNamespaces(detection)) {
        const binding = ns.revision ?? DEFAULT_REVISION;
        if (gate && ns.name === gate.namespace) {
          // On the new revision since the gate. Bound through a tag, it follows the tag again
          // (which points at the new revision now): a relabel, no restart.
          if (moving.has(binding)) {
            steps.push(
              patchStep(
                namespaceRef(ns.name),
                { metadata: { labels: bindingLabels(binding) } },
                `bind to tag ${binding} again (now revision ${revision})`,
              ),
            );
          }
          continue;
        }
        if (moving.has(binding)) {
          // Bound through a tag: the label stays, the workloads restart onto the new revision.
          steps.push(
            ...(await restartNamespaceSteps(
              ctx,
              ns.name,
              `restart for revision ${revision} (tag ${binding})`,
            )),
          );
        } else {
          steps.push(
            ...(await moveNamespaceSteps(
              ctx,
              ns.name,
              revision,
              `move to revision ${revision}`,
            )),
          );
        }
      }
      steps.push(...(await removeRevisionsSteps(ctx, installed, next)));
      // Last, once no old revision runs: what the old `base` held that the new one does not.
      let keptCrds: string[] = [];
      if (helm) {
        const base = await pruneBaseSteps(ctx, next);
        steps.push(...base.steps);
        keptCrds = base.keptCrds;
      }
      return {
        request,
        summary: `Canary-upgrade Istio ${installed
          .map(r => r.version)
          .join(', ')} → ${request.toVersion} (revision ${revision}${
          moving.size ? `, tags ${[...moving].join(', ')}` : ''
        }) on ${request.cluster}${
          gate
            ? `, gated by benchmark '${gate.profile.name}' on namespace ${gate.namespace}`
            : ''
        }${keptCrdsNote(keptCrds, request.toVersion)}`,
        steps,
      };
    }
    case 'rollback': {
      // What to return to: the recorded state before the operation, or, mid-canary without a
      // record, the oldest revision (abandoning the canary).
      const oldest = sortVersions(installed.map(i => i.version))[0];
      let before: Revision[] = [];
      if (ctx.previousDetection) {
        before = revisionsOf(ctx.previousDetection);
      } else if (installed.length > 1) {
        before = installed.filter(r => r.version === oldest);
      }
      if (before.length === 0) {
        throw new Error(
          `Nothing to roll back for Istio on ${request.cluster}: no earlier state is recorded and only one control plane runs`,
        );
      }
      const steps: PlanStep[] = [];
      for (const r of before) {
        if (
          !installed.some(
            i => i.revision === r.revision && i.version === r.version,
          )
        ) {
          steps.push(
            ...installSteps(
              await controlPlaneObjects(ctx, {
                version: r.version,
                revision: r.revision,
              }),
              r.revision,
            ),
          );
        }
      }
      // Tags go back where they pointed before; tags the operation created go away.
      const tagsNow = tagsOf(detection);
      const tagsBefore = ctx.previousDetection
        ? tagsOf(ctx.previousDetection)
        : new Map(
            [...tagsNow.keys()].map(t => [t, before[0].revision] as const),
          );
      const movedTags = new Set<string>();
      const versionOf = (rev: string) =>
        [...before, ...installed].find(r => r.revision === rev)?.version ??
        before[0].version;
      for (const [tag, rev] of tagsBefore) {
        if (tagsNow.get(tag) === rev) continue;
        steps.push(...setTagSteps(tag, rev, versionOf(rev)));
        movedTags.add(tag);
      }
      for (const [tag, rev] of tagsNow) {
        if (tagsBefore.has(tag)) continue;
        steps.push(...removeTagSteps(tag, rev, versionOf(rev)));
      }
      const bindings = ctx.previousDetection
        ? injectedNamespaces(ctx.previousDetection).map(n => ({
            name: n.name,
            revision: n.revision ?? DEFAULT_REVISION,
          }))
        : injectedNamespaces(detection).map(n => ({
            name: n.name,
            revision: before[0].revision,
          }));
      for (const b of bindings) {
        const now = detection.namespaces.find(n => n.name === b.name);
        if (
          now?.injectionEnabled &&
          (now.revision ?? DEFAULT_REVISION) === b.revision
        ) {
          if (movedTags.has(b.revision)) {
            steps.push(
              ...(await restartNamespaceSteps(
                ctx,
                b.name,
                `restart for revision ${tagsBefore.get(b.revision)} (tag ${
                  b.revision
                })`,
              )),
            );
          }
          continue;
        }
        steps.push(
          ...(await moveNamespaceSteps(
            ctx,
            b.name,
            b.revision,
            `move back to revision ${b.revision}`,
          )),
        );
      }
      steps.push(
        ...(await removeRevisionsSteps(
          ctx,
          installed.filter(i => !before.some(r => r.revision === i.revision)),
          [],
        )),
      );
      return {
        request,
        summary: `Roll back Istio to ${before
          .map(r => `${r.version} (revision ${r.revision})`)
          .join(', ')} on ${request.cluster}`,
        steps,
      };
    }
    case 'set-tag': {
      const target = installed.find(r => r.revision === request.revision);
      if (!target) {
        throw new Error(
          `Istio revision ${request.revision} is not installed on ${
            request.cluster
          }; installed revisions: ${
            installed.map(r => r.revision).join(', ') || 'none'
          }`,
        );
      }
      requireTagName(request.tag, installed);
      if (
        request.tag === DEFAULT_REVISION &&
        installed.some(r => r.revision === DEFAULT_REVISION)
      ) {
        throw new Error(
          'The revision-less control plane answers the default tag itself; canary-upgrade it with revisionTags [default] instead',
        );
      }
      const from = tagsOf(detection).get(request.tag);
      if (from === request.revision) {
        throw new Error(
          `Revision tag ${request.tag} already points at revision ${request.revision}`,
        );
      }
      const steps = setTagSteps(request.tag, target.revision, target.version);
      for (const ns of followersOf(detection, request.tag)) {
        steps.push(
          ...(await restartNamespaceSteps(
            ctx,
            ns,
            `restart for revision ${target.revision} (tag ${request.tag})`,
          )),
        );
      }
      return {
        request,
        summary: `${from ? 'Move' : 'Create'} Istio revision tag ${
          request.tag
        } ${from ? `from ${from} ` : ''}→ revision ${request.revision} on ${
          request.cluster
        }`,
        steps,
      };
    }
    case 'remove-tag': {
      const rev = tagsOf(detection).get(request.tag);
      if (!rev) {
        throw new Error(
          `Istio revision tag ${request.tag} does not exist on ${request.cluster}`,
        );
      }
      const users = followersOf(detection, request.tag);
      if (users.length) {
        throw new Error(
          `Namespaces ${users.join(', ')} still use revision tag ${
            request.tag
          }: offboard them or bind them to a revision first`,
        );
      }
      const version =
        installed.find(r => r.revision === rev)?.version ??
        installed[0]?.version ??
        supportedVersions[supportedVersions.length - 1];
      return {
        request,
        summary: `Delete Istio revision tag ${request.tag} (→ ${rev}) on ${request.cluster}`,
        steps: removeTagSteps(request.tag, rev, version),
      };
    }
    case 'deploy-sample':
    case 'remove-sample':
      return planSampleApp(request, ctx, {
        apps: istioSampleApps,
        meshName: 'Istio',
        injection: () => {
          const target = tagsOf(detection).has(DEFAULT_REVISION)
            ? { revision: DEFAULT_REVISION }
            : newest(installed);
          const labels = Object.entries(bindingLabels(target?.revision));
          return {
            labels: Object.fromEntries(
              labels.filter((e): e is [string, string] => e[1] !== null),
            ),
          };
        },
      });
    default:
      throw new Error(
        `Unknown lifecycle action ${(request as { action: string }).action}`,
      );
  }
}
