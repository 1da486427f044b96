import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  findingCodes,
  formatText,
  genericAnalyzers,
  parseSuppression,
  toSarif,
} from '@meshstage/validation';
import fs from 'node:fs/promises';
import path from 'node:path';
import { countFindings, failingFindings } from '../lib/findingCounts';
import { readWorkspaceManifests } from '../lib/workspaceManifests';
import { examples } from './validate.examples';
import { type MeshActionOptions, meshClientFor } from './options';

/** Where the SARIF report goes when the template does not say. */
export const DEFAULT_SARIF_PATH = 'mesh-validation.sarif';

/** How many failing findings the step's error message lists before "and N more". */
const SHOWN_IN_ERROR = 5;

/**
 * `mesh:validate`: validates manifests of the workspace (files or directories, optionally merged
 * over a cluster's live objects) with MeshStage's analyzer engine, as `meshstage validate` does;
 * writes a SARIF report into the workspace, outputs the counts and fails the step on findings at
 * or above `failOn`. The analysis runs in the mesh backend (`POST /validate`, the same
 * `@meshstage/validation` engine with every installed adapter's rules and the cluster's objects),
 * as the user who runs the template. Reads only, so a dry run does the same.
 * @public
 */
export function createMeshValidateAction(options: MeshActionOptions) {
  return createTemplateAction({
    id: 'mesh:validate',
    description:
      "Validates Kubernetes and service-mesh manifests in the workspace with MeshStage's analyzers (Istio, Linkerd, generic), writes a SARIF report into the workspace and fails the step on findings at or above a severity.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        paths: z =>
          z
            .array(z.string().min(1), {
              description:
                'Files or directories in the workspace (directories are read recursively: .yaml, .yml, .json). Default: the whole workspace',
            })
            .min(1)
            .optional(),
        cluster: z =>
          z
            .string({
              description:
                "Also read this cluster's live configuration; the files override its objects",
            })
            .min(1)
            .optional(),
        meshes: z =>
          z
            .array(z.string().min(1), {
              description:
                'Adapters whose rules run (default: every installed adapter)',
            })
            .min(1)
            .optional(),
        failOn: z =>
          z
            .enum(['error', 'warning', 'info', 'never'], {
              description:
                'Fail the step on findings at or above this severity (default error), as meshstage validate --fail-on',
            })
            .optional(),
        suppress: z =>
          z
            .array(z.string().min(1), {
              description:
                'Codes to mark suppressed, CODE or CODE=Kind/namespace/name (* is a wildcard), as meshstage validate --suppress',
            })
            .optional(),
        sarifPath: z =>
          z
            .string({
              description: `Where the SARIF report goes in the workspace (default ${DEFAULT_SARIF_PATH})`,
            })
            .min(1)
            .optional(),
      },
      output: {
        files: z => z.number({ description: 'Manifest files validated' }),
        errors: z => z.number(),
        warnings: z => z.number(),
        infos: z => z.number(),
        suppressed: z => z.number(),
        failing: z =>
          z.number({
            description: 'Findings at or above failOn (not suppressed)',
          }),
        sarifPath: z =>
          z.string({
            description: 'The SARIF report, relative to the workspace',
          }),
        report: z =>
          z.string({
            description: 'The findings as meshstage validate prints them',
          }),
      },
    },
    async handler(ctx) {
      const { input, workspacePath } = ctx;
      const failOn = input.failOn ?? 'error';
      (input.suppress ?? []).forEach((s, i) => {
        if (!parseSuppression(s).code) {
          throw new InputError(
            `Invalid input 'suppress.${i}': '${s}' has no code (e.g. MS0201 or MS0201=VirtualService/shop/*)`,
          );
        }
      });
      const sarifRelative = input.sarifPath ?? DEFAULT_SARIF_PATH;
      let sarifFile: string;
      try {
        sarifFile = resolveSafeChildPath(workspacePath, sarifRelative);
      } catch {
        throw new InputError(
          `Invalid input 'sarifPath': '${sarifRelative}' is outside the workspace`,
        );
      }

      const files = await readWorkspaceManifests(
        workspacePath,
        input.paths ?? ['.'],
      );
      if (files.length === 0) {
        throw new InputError(
          `Invalid input 'paths': no .yaml, .yml or .json files in ${(
            input.paths ?? ['the workspace']
          ).join(', ')}`,
        );
      }
      ctx.logger.info(
        `Validating ${files.length} file(s)${
          input.cluster
            ? ` over the live objects of cluster ${input.cluster}`
            : ''
        }: ${files.map(f => f.name).join(', ')}`,
      );

      const { findings } = await meshClientFor(options, ctx).validate({
        files,
        cluster: input.cluster,
        meshes: input.meshes,
        suppress: input.suppress,
      });

      // The engine's registry names the generic codes' rules; adapters' codes keep their docs URL.
      const sarif = toSarif(findings, {
        codes: findingCodes(genericAnalyzers()),
      });
      await fs.mkdir(path.dirname(sarifFile), { recursive: true });
      await fs.writeFile(sarifFile, `${JSON.stringify(sarif, null, 2)}\n`);

      const report = formatText(findings);
      const counts = countFindings(findings);
      const failing = failingFindings(findings, failOn);
      ctx.logger.info(report.trimEnd());
      ctx.output('files', files.length);
      ctx.output('errors', counts.errors);
      ctx.output('warnings', counts.warnings);
      ctx.output('infos', counts.infos);
      ctx.output('suppressed', counts.suppressed);
      ctx.output('failing', failing.length);
      ctx.output('sarifPath', sarifRelative);
      ctx.output('report', report);

      if (failing.length) {
        const lines = formatText(failing.slice(0, SHOWN_IN_ERROR))
          .trimEnd()
          .split('\n')
          .slice(0, -1);
        const more =
          failing.length > SHOWN_IN_ERROR
            ? `; and ${failing.length - SHOWN_IN_ERROR} more`
            : '';
        throw new Error(
          `Validation found ${
            failing.length
          } finding(s) at or above '${failOn}' (report: ${sarifRelative}): ${lines.join(
            '; ',
          )}${more}`,
        );
      }
    },
  });
}
