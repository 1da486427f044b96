import { FINDING_SEVERITIES } from '@meshstage/plugin-mesh-common';
import { z } from 'zod';
import { MAX_LIST_LIMIT } from '../service/http';

/** A `suppress` entry: `CODE[=Kind/namespace/name]` as on the CLI, or its object form. */
const suppressionSchema = z.union([
  z.string().min(1),
  z
    .object({
      code: z.string().min(1),
      resource: z.string().min(1).optional(),
    })
    .strict(),
]);

/** The body of `POST /validate`; `maxFiles` from `mesh.validation.maxFiles`. */
export function validateBodySchema(maxFiles: number) {
  return z
    .object({
      files: z
        .array(
          z
            .object({
              name: z.string().min(1).max(1024),
              content: z.string(),
            })
            .strict(),
        )
        .max(maxFiles, {
          message: `At most ${maxFiles} files per request (mesh.validation.maxFiles)`,
        })
        .default([]),
      cluster: z.string().min(1).optional(),
      meshes: z.array(z.string().min(1)).min(1).optional(),
      suppress: z.array(suppressionSchema).optional(),
    })
    .strict();
}

export const scanBodySchema = z.object({ cluster: z.string().min(1) }).strict();

export const scansQuerySchema = z.object({
  cluster: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(20),
});

/** `/validation/scans/:id`: scan ids are UUIDs, as operation ids are; anything else is a 400. */
export const scanIdSchema = z.object({ id: z.string().uuid() });

export const findingsQuerySchema = z.object({
  cluster: z.string().min(1).optional(),
  severity: z
    .enum(FINDING_SEVERITIES as unknown as ['error', 'warning', 'info'])
    .optional(),
});
