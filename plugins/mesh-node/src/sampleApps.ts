import type {
  Plan,
  PlanObject,
  PlanStep,
  SampleAppRequest,
} from '@meshstage/plugin-mesh-common';
import type { PlanContext } from './adapter';
import { kubeResources, type KubeNamespace } from './kube';
import { applyStep, deleteStep, deploymentRef, waitStep } from './planSteps';

/** Label on every object a sample-app deployment creates, naming the sample. @public */
export const SAMPLE_APP_LABEL = 'meshstage.io/sample-app';

/**
 * A sample application an adapter can deploy to show its mesh working (Istio's bookinfo,
 * Linkerd's emojivoto, the echo service used as a benchmark target).
 * @public
 */
export interface SampleApp {
  id: string;
  displayName: string;
  description: string;
  /** The namespace it goes into unless the request names one. */
  defaultNamespace: string;
  /** Its objects for a namespace, in apply order, without the Namespace itself. */
  objects(namespace: string): PlanObject[];
}

/** What {@link planSampleApp} needs from the adapter. @public */
export interface SampleAppPlanOptions {
  /** The adapter's samples. */
  apps: SampleApp[];
  /** The mesh's display name, for summaries and errors. */
  meshName: string;
  /**
   * Labels and annotations that enable this mesh's injection on a new namespace, given the
   * current detection (e.g. the newest Istio revision).
   */
  injection(ctx: PlanContext): {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

function withSampleLabel(object: PlanObject, id: string): PlanObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: { ...object.metadata.labels, [SAMPLE_APP_LABEL]: id },
    },
  };
}

/**
 * Plans deploying or removing a sample app. Deploy creates a namespace for it (refusing one that
 * exists and was not made for this sample, so nothing of the user's is touched later), enables
 * injection there, applies the app and waits for its rollouts. Remove deletes what deploy created,
 * the namespace last, and only from a namespace labelled for that sample.
 * @public
 */
export async function planSampleApp(
  request: SampleAppRequest,
  ctx: PlanContext,
  options: SampleAppPlanOptions,
): Promise<Plan> {
  const app = options.apps.find(a => a.id === request.sample);
  if (!app) {
    const known = options.apps.map(a => a.id).join(', ') || '(none)';
    throw new Error(
      `${options.meshName} has no sample app '${request.sample}'; available: ${known}`,
    );
  }
  const namespace = request.namespace ?? app.defaultNamespace;
  const existing = (
    await ctx.cluster.list<KubeNamespace>(kubeResources.namespaces)
  ).find(ns => ns.metadata.name === namespace);
  const ours = existing?.metadata.labels?.[SAMPLE_APP_LABEL] === app.id;
  const objects = app.objects(namespace).map(o => withSampleLabel(o, app.id));

  if (request.action === 'remove-sample') {
    if (!ours) {
      throw new Error(
        `Namespace ${namespace} on ${request.cluster} holds no ${app.id} sample deployed by MeshStage`,
      );
    }
    const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
    return {
      request,
      summary: `Remove the ${app.displayName} sample from ${namespace} on ${request.cluster}`,
      steps: [
        ...[...objects].reverse().map(o => deleteStep(o)),
        deleteStep(nsRef),
        waitStep(nsRef, 'Deleted'),
      ],
    };
  }

  if (!ctx.detection.installed) {
    throw new Error(
      `${options.meshName} is not installed on ${request.cluster}; install it before deploying the ${app.id} sample`,
    );
  }
  if (existing && !ours) {
    throw new Error(
      `Namespace ${namespace} already exists on ${request.cluster} and was not created for the ${app.id} sample; choose another namespace`,
    );
  }
  const injection = options.injection(ctx);
  const namespaceObject: PlanObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace,
      labels: { ...injection.labels, [SAMPLE_APP_LABEL]: app.id },
      ...(injection.annotations ? { annotations: injection.annotations } : {}),
    },
  };
  const rollouts: PlanStep[] = objects
    .filter(o => o.kind === 'Deployment')
    .map(o =>
      waitStep(deploymentRef(o.metadata.name, namespace), 'RolloutComplete'),
    );
  return {
    request,
    summary: `Deploy the ${app.displayName} sample into ${namespace} on ${request.cluster} (${options.meshName} injection on)`,
    steps: [applyStep(namespaceObject), ...objects.map(applyStep), ...rollouts],
  };
}
