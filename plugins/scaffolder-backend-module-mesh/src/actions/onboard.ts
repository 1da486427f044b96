import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { NamespaceRequest } from '@meshstage/plugin-mesh-common';
import { planText } from '../lib/planText';
import { resolveOnboardTarget } from '../lib/resolveOnboardTarget';
import { followOperation } from './followOperation';
import { examples } from './onboard.examples';
import {
  DEFAULT_TIMEOUT_SECONDS,
  type MeshActionOptions,
  meshClientFor,
} from './options';

/**
 * `mesh:onboard`: onboards a namespace (given, or the one an entity's workloads run in) to a
 * mesh through the mesh backend's `POST /operations`, as the user who runs the template, and
 * waits for the operation to end; the step fails with the operation's reason. Dry run: the
 * backend's plan, logged; nothing is recorded or changed.
 * @public
 */
export function createMeshOnboardAction(options: MeshActionOptions) {
  return createTemplateAction({
    id: 'mesh:onboard',
    description:
      "Onboards a namespace to a service mesh (enables the mesh's proxy injection and restarts the workloads) through MeshStage's lifecycle operations, and waits for the operation to finish.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string({
              description:
                "Entity whose workloads' namespace to onboard, e.g. component:default/productpage. Its meshstage.io/mesh annotation is the default mesh.",
            })
            .min(1)
            .optional(),
        namespace: z =>
          z
            .string({
              description:
                'Namespace to onboard; required without entityRef, overrides the one found from the entity',
            })
            .regex(
              /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
              'Expected a Kubernetes namespace name',
            )
            .optional(),
        mesh: z =>
          z
            .string({ description: 'Mesh adapter id, e.g. istio or linkerd' })
            .min(1)
            .optional(),
        cluster: z =>
          z
            .string({
              description:
                "Cluster name (kubernetes.clusterLocatorMethods); default: the cluster the entity's pods run on, or the only one",
            })
            .min(1)
            .optional(),
        timeoutSeconds: z =>
          z
            .number({
              description: `How long to wait for the operation (default ${DEFAULT_TIMEOUT_SECONDS})`,
            })
            .int()
            .min(1)
            .max(86400)
            .optional(),
      },
      output: {
        operationId: z =>
          z
            .string({ description: 'The operation (absent on dry run)' })
            .optional(),
        state: z =>
          z.string({
            description: "The operation's final state, or dry-run",
          }),
        summary: z =>
          z.string({ description: 'One line: what the operation does' }),
        plan: z =>
          z.string({ description: 'The plan: its summary and numbered steps' }),
        namespace: z => z.string(),
        cluster: z => z.string(),
        mesh: z => z.string(),
      },
    },
    async handler(ctx) {
      const client = meshClientFor(options, ctx);
      const { entityRef } = ctx.input;

      let entityStatus;
      if (entityRef) {
        let ref;
        try {
          ref = parseEntityRef(entityRef, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          });
        } catch (e) {
          throw new InputError(
            `Invalid input 'entityRef': ${(e as Error).message}`,
          );
        }
        entityStatus = await client.getEntityStatus(ref);
      }
      const clusterKnown =
        ctx.input.cluster ||
        entityStatus?.clusters.some(c => c.pods.length > 0);
      const clusters = clusterKnown
        ? undefined
        : (await client.listClusters()).map(c => c.name);
      const target = resolveOnboardTarget({
        ...ctx.input,
        entityStatus,
        clusters,
      });
      ctx.output('namespace', target.namespace);
      ctx.output('cluster', target.cluster);
      ctx.output('mesh', target.mesh);
      ctx.logger.info(
        `Onboarding namespace ${target.namespace} on cluster ${
          target.cluster
        } to ${target.mesh}${
          entityRef ? ` (the namespace of ${entityRef})` : ''
        }`,
      );

      const request: NamespaceRequest = { action: 'onboard', ...target };
      if (ctx.isDryRun) {
        const preview = await client.planOperation(request);
        ctx.logger.info(
          `Dry run: the plan the mesh backend would run (nothing started):\n${preview.diff}`,
        );
        ctx.output('state', 'dry-run');
        ctx.output('summary', preview.plan.summary);
        ctx.output('plan', planText(preview.plan));
        return;
      }

      // A checkpoint, so a task resumed after a scaffolder restart follows the operation it
      // started instead of starting (or being refused) a second one.
      const started = await ctx.checkpoint({
        key: `mesh-onboard-${target.cluster}-${target.mesh}-${target.namespace}`,
        fn: async () => {
          const { operation } = await client.startOperation(request);
          return {
            id: operation.id,
            summary: operation.summary,
            plan: planText(operation.plan),
          };
        },
      });
      ctx.output('operationId', started.id);
      ctx.output('summary', started.summary);
      ctx.output('plan', started.plan);
      ctx.logger.info(`Started operation ${started.id}: ${started.summary}`);

      await followOperation(client, started.id, {
        logger: ctx.logger,
        signal: ctx.signal,
        timeoutSeconds: ctx.input.timeoutSeconds,
        pollIntervalMs: options.pollIntervalMs,
        onState: state => ctx.output('state', state),
      });
    },
  });
}
