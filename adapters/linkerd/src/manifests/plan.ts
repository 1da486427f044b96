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
import {
  planSampleApp,
  applyStep,
  deleteStep,
  deploymentRef,
  kubeResources,
  patchStep,
  restartDeploymentSteps,
  waitStep,
} from '@meshstage/plugin-mesh-node';
import { CONVENTIONAL_NAMESPACE, INJECT_ANNOTATION } from '../constants';
import { linkerdSampleApps } from '../samples';
import {
  LINKERD_DEPLOYMENT_ORDER,
  renderLinkerdControlPlane,
} from './controlPlane';

const namespaceRef = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  name,
});

/** Applies everything, then waits for each control-plane Deployment (identity first, as it starts first). */
function applyAndWait(objects: PlanObject[]): PlanStep[] {
  return [
    ...objects.map(applyStep),
    ...LINKERD_DEPLOYMENT_ORDER.map(name =>
      waitStep(deploymentRef(name, CONVENTIONAL_NAMESPACE), 'Available'),
    ),
  ];
}

function installedVersion(detection: MeshDetection): string | undefined {
  return detection.installed
    ? detection.versions[detection.versions.length - 1]
    : undefined;
}

/** Restarts the Deployments of every namespace that runs Linkerd proxies, so they get the new proxy. */
async function dataPlaneRestart(
  ctx: PlanContext,
  version: string,
): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  const meshed = ctx.detection.namespaces.filter(
    n =>
      (n.injectionEnabled || n.meshedPods > 0) &&
      n.name !== CONVENTIONAL_NAMESPACE,
  );
  for (const ns of meshed) {
    const deployments = await ctx.cluster.list<KubeDeployment>(
      kubeResources.deployments,
      { namespace: ns.name },
    );
    steps.push(
      ...restartDeploymentSteps(
        deployments,
        ctx.now ?? new Date().toISOString(),
        `restart for Linkerd ${version} proxies`,
      ),
    );
  }
  return steps;
}

function requireSupported(version: string, supported: readonly string[]) {
  if (!supported.includes(version)) {
    throw new Error(
      `Linkerd ${version} is not supported; supported versions: ${supported.join(
        ', ',
      )}`,
    );
  }
}

/**
 * Plans a Linkerd lifecycle request. Linkerd has no revisions, so upgrades are in place (new
 * control plane, then a data-plane restart) and a rollback is an in-place move back to the
 * version recorded before the operation (`ctx.previousDetection`).
 */
export async function planLinkerd(
  request: LifecycleRequest,
  ctx: PlanContext,
  supportedVersions: readonly string[],
): Promise<Plan> {
  const current = installedVersion(ctx.detection);
  switch (request.action) {
    case 'install': {
      requireSupported(request.version, supportedVersions);
      if (current)
        throw new Error(
          `Linkerd ${current} is already installed on ${request.cluster}; upgrade it instead`,
        );
      if (request.revision)
        throw new Error(
          'Linkerd has no control-plane revisions; install without a revision',
        );
      return {
        request,
        summary: `Install Linkerd ${request.version} on ${request.cluster}`,
        steps: applyAndWait(
          renderLinkerdControlPlane({
            version: request.version,
            profile: request.profile,
            values: request.values,
          }),
        ),
      };
    }
    case 'uninstall': {
      if (!current)
        throw new Error(`Linkerd is not installed on ${request.cluster}`);
      // Webhook first so no pod is sent to an injector that is going away.
      const objects = renderLinkerdControlPlane({ version: current });
      return {
        request,
        summary: `Uninstall Linkerd ${current} from ${request.cluster}`,
        // Render order puts the namespace and CRDs first, so the reverse removes them last.
        steps: [...objects].reverse().map(deleteStep),
      };
    }
    case 'onboard':
    case 'offboard': {
      if (request.action === 'onboard' && !current) {
        throw new Error(
          `Linkerd is not installed on ${request.cluster}; install it before onboarding ${request.namespace}`,
        );
      }
      const onboard = request.action === 'onboard';
      const deployments = await ctx.cluster.list<KubeDeployment>(
        kubeResources.deployments,
        { namespace: request.namespace },
      );
      return {
        request,
        summary: `${onboard ? 'Onboard' : 'Offboard'} namespace ${
          request.namespace
        } ${onboard ? 'to' : 'from'} Linkerd on ${request.cluster}`,
        steps: [
          patchStep(
            namespaceRef(request.namespace),
            {
              metadata: {
                annotations: {
                  [INJECT_ANNOTATION]: onboard ? 'enabled' : null,
                },
              },
            },
            onboard ? 'enable proxy injection' : 'disable proxy injection',
          ),
          ...restartDeploymentSteps(
            deployments,
            ctx.now ?? new Date().toISOString(),
            onboard
              ? 'restart so pods get the proxy'
              : 'restart so pods lose the proxy',
          ),
        ],
      };
    }
    case 'upgrade':
    case 'rollback': {
      let target: string;
      if (request.action === 'upgrade') {
        requireSupported(request.toVersion, supportedVersions);
        if (request.strategy === 'canary') {
          throw new Error(
            'Linkerd has no control-plane revisions, so no canary upgrade; use strategy in-place',
          );
        }
        target = request.toVersion;
      } else {
        const previous =
          ctx.previousDetection && installedVersion(ctx.previousDetection);
        if (!previous)
          throw new Error(
            `Nothing to roll back for Linkerd on ${request.cluster}: no earlier version is recorded`,
          );
        target = previous;
      }
      if (!current)
        throw new Error(
          `Linkerd is not installed on ${request.cluster}; install it first`,
        );
      if (target === current)
        throw new Error(
          `Linkerd ${current} already runs on ${request.cluster}`,
        );
      return {
        request,
        summary: `${
          request.action === 'upgrade' ? 'Upgrade' : 'Roll back'
        } Linkerd ${current} → ${target} on ${request.cluster}`,
        steps: [
          ...applyAndWait(renderLinkerdControlPlane({ version: target })),
          ...(await dataPlaneRestart(ctx, target)),
        ],
      };
    }
    case 'deploy-sample':
    case 'remove-sample':
      return planSampleApp(request, ctx, {
        apps: linkerdSampleApps,
        meshName: 'Linkerd',
        injection: () => ({ annotations: { [INJECT_ANNOTATION]: 'enabled' } }),
      });
    default:
      throw new Error(
        `Unknown lifecycle action ${(request as { action: string }).action}`,
      );
  }
}
