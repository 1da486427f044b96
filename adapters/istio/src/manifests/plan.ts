import type {
  LifecycleRequest,
  Plan,
  PlanObject,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import type {
  KubeDeployment,
  MeshDetection,
  PlanContext,
} from '@meshstage/plugin-mesh-node';
import { istioSampleApps } from '../samples';
import {
  planSampleApp,
  applyStep,
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
  revisionForVersion,
  revisioned,
} from './controlPlane';

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
    ...restartDeploymentSteps(
      deployments,
      ctx.now ?? new Date().toISOString(),
      `restart so pods ${
        revision ? `get revision ${revision}'s proxy` : 'lose their proxy'
      }`,
    ),
  ];
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
  supportedVersions: readonly string[],
): Promise<Plan> {
  const { detection } = ctx;
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
      const objects = renderIstioControlPlane({
        version: request.version,
        revision: request.revision,
        profile: request.profile,
        values: request.values,
      });
      return {
        request,
        summary: `Install Istio ${request.version}${
          request.revision ? ` as revision ${request.revision}` : ''
        } on ${request.cluster}`,
        steps: installSteps(objects, revision),
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
      const steps = targets.flatMap(removeRevisionSteps);
      // Shared objects (CRDs, namespace) go only with the last control plane: others still use them.
      if (targets.length === installed.length) {
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
        revision = target.revision;
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
        for (const r of installed) {
          steps.push(
            ...installSteps(
              renderIstioControlPlane({
                version: request.toVersion,
                revision: r.revision,
              }),
              r.revision,
            ),
          );
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
          summary: `Upgrade Istio in place to ${request.toVersion} on ${request.cluster}`,
          steps,
        };
      }
      const revision = revisionForVersion(request.toVersion);
      if (installed.some(r => r.revision === revision)) {
        throw new Error(
          `Istio revision ${revision} already runs on ${request.cluster}`,
        );
      }
      const steps = installSteps(
        renderIstioControlPlane({ version: request.toVersion, revision }),
        revision,
      );
      for (const ns of injectedNamespaces(detection)) {
        steps.push(
          ...(await moveNamespaceSteps(
            ctx,
            ns.name,
            revision,
            `move to revision ${revision}`,
          )),
        );
      }
      steps.push(...installed.flatMap(removeRevisionSteps));
      return {
        request,
        summary: `Canary-upgrade Istio ${installed
          .map(r => r.version)
          .join(', ')} → ${request.toVersion} (revision ${revision}) on ${
          request.cluster
        }`,
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
              renderIstioControlPlane({
                version: r.version,
                revision: r.revision,
              }),
              r.revision,
            ),
          );
        }
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
        )
          continue;
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
        ...installed
          .filter(i => !before.some(r => r.revision === i.revision))
          .flatMap(removeRevisionSteps),
      );
      return {
        request,
        summary: `Roll back Istio to ${before
          .map(r => `${r.version} (revision ${r.revision})`)
          .join(', ')} on ${request.cluster}`,
        steps,
      };
    }
    case 'deploy-sample':
    case 'remove-sample':
      return planSampleApp(request, ctx, {
        apps: istioSampleApps,
        meshName: 'Istio',
        injection: () => {
          const target = newest(installed);
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
