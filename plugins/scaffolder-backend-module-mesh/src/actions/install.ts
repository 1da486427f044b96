import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { decideInstall } from '../lib/installRequest';
import { planText } from '../lib/planText';
import { followOperation } from './followOperation';
import { examples } from './install.examples';
import {
  DEFAULT_TIMEOUT_SECONDS,
  type MeshActionOptions,
  meshClientFor,
} from './options';

/** `values` as given: an object, or JSON text from a form's text field. */
function parseValues(
  values: string | Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (values === undefined || typeof values === 'object') return values;
  if (!values.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(values);
  } catch (e) {
    throw new InputError(
      `Invalid input 'values': not JSON (${(e as Error).message})`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(`Invalid input 'values': expected a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * `mesh:install`: installs a mesh's control plane on a cluster, or upgrades it when another
 * version runs there, through the mesh backend's `POST /operations` as the user who runs the
 * template; outputs the plan (a readable summary) and the operation's id and final state. Dry
 * run, or `planOnly`: the plan only, nothing recorded or changed.
 * @public
 */
export function createMeshInstallAction(options: MeshActionOptions) {
  return createTemplateAction({
    id: 'mesh:install',
    description:
      "Installs a service mesh's control plane on a cluster, or upgrades it to the version given when another version runs there, through MeshStage's lifecycle operations. Outputs the plan and the operation.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string({
              description:
                'Cluster name (kubernetes.clusterLocatorMethods), e.g. dev',
            })
            .min(1),
        mesh: z =>
          z.string({ description: 'Mesh adapter id, e.g. istio' }).min(1),
        version: z =>
          z
            .string({
              description:
                "Version to install or upgrade to, one of the adapter's supported versions (GET /api/mesh/adapters)",
            })
            .min(1),
        profile: z =>
          z
            .string({
              description:
                "Mesh-specific profile (installs only), e.g. Istio's default or minimal",
            })
            .min(1)
            .optional(),
        values: z =>
          z
            .union([z.record(z.unknown()), z.string()], {
              description:
                'Mesh-specific values merged into the rendered configuration (installs only): an object, or the same as JSON text',
            })
            .optional(),
        revision: z =>
          z
            .string({
              description:
                'Install as a named revision beside others (Istio, installs only), e.g. 1-24-2',
            })
            .min(1)
            .optional(),
        strategy: z =>
          z
            .enum(['canary', 'in-place'], {
              description:
                'Upgrades: canary (a new revision beside the old one, Istio) or in-place (default)',
            })
            .optional(),
        planOnly: z =>
          z
            .boolean({
              description:
                'Only plan: output the plan and start nothing (as a dry run does)',
            })
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
        action: z =>
          z.enum(['install', 'upgrade', 'none'], {
            description:
              'What was done: install, upgrade, or none (the version already runs)',
          }),
        state: z =>
          z.string({
            description:
              "The operation's final state; dry-run when only planned; unchanged for none",
          }),
        summary: z => z.string({ description: 'One line: what it does' }),
        plan: z =>
          z.string({
            description: 'The plan: its summary and numbered steps',
          }),
        operationId: z =>
          z
            .string({ description: 'The operation, when one was started' })
            .optional(),
      },
    },
    async handler(ctx) {
      const client = meshClientFor(options, ctx);
      const { cluster, mesh, version } = ctx.input;
      const values = parseValues(ctx.input.values);
      const [status] = await client.getMeshStatus(cluster, mesh);
      if (!status) {
        throw new InputError(
          `The mesh backend reports no status for ${mesh} on cluster '${cluster}'`,
        );
      }
      const decision = decideInstall({ ...ctx.input, values }, status);
      decision.notes.forEach(n => ctx.logger.warn(n));
      ctx.output('action', decision.action);

      if (decision.action === 'none') {
        const summary = `${mesh} ${version} already runs on ${cluster}; nothing to do`;
        ctx.logger.info(summary);
        ctx.output('state', 'unchanged');
        ctx.output('summary', summary);
        ctx.output(
          'plan',
          `${summary} (installed: ${decision.installedVersions.join(', ')})`,
        );
        return;
      }

      const { request } = decision;
      if (ctx.isDryRun || ctx.input.planOnly) {
        const preview = await client.planOperation(request);
        ctx.logger.info(
          `${
            ctx.isDryRun ? 'Dry run' : 'Plan only'
          }: the plan the mesh backend would run (nothing started):\n${
            preview.diff
          }`,
        );
        ctx.output('state', 'dry-run');
        ctx.output('summary', preview.plan.summary);
        ctx.output('plan', planText(preview.plan));
        return;
      }

      const started = await ctx.checkpoint({
        key: `mesh-install-${cluster}-${mesh}-${version}`,
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
      ctx.logger.info(
        `Started operation ${started.id}: ${started.summary}\n${started.plan}`,
      );

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
