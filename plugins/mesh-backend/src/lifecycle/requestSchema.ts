import type { LifecycleRequest } from '@meshstage/plugin-mesh-common';
import { z } from 'zod';
import { canaryGateSchema } from './canaryGate/gateSchema';
import { MAX_LIST_LIMIT } from '../service/http';

const name = z.string().min(1).max(253);
// A Kubernetes namespace name (RFC 1123 label).
const namespaceName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a Kubernetes namespace name (lower-case letters, digits and dashes)',
  )
  .max(63);
const revision = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be lower-case letters, digits and dashes',
  )
  .max(63);

// A revision tag name as istioctl accepts it (it becomes part of object names and a label value).
const revisionTag = revision;
const revisionTags = z.array(revisionTag).min(1).max(20);

const base = {
  mesh: name,
  cluster: name,
  /** Plan only: return the plan and its diff, change nothing. */
  dryRun: z.boolean().optional(),
};

/**
 * The body of `POST /operations`: a {@link LifecycleRequest}, discriminated on `action`, plus
 * `dryRun`. Unknown fields are rejected so that a typo is not silently ignored.
 */
export const operationRequestSchema = z.discriminatedUnion('action', [
  z
    .object({
      ...base,
      action: z.literal('install'),
      version: name,
      profile: name.optional(),
      values: z.record(z.unknown()).optional(),
      revision: revision.optional(),
      revisionTags: revisionTags.optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.literal('uninstall'),
      revision: revision.optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.literal('upgrade'),
      toVersion: name,
      strategy: z.enum(['canary', 'in-place']),
      revisionTags: revisionTags.optional(),
      gate: canaryGateSchema.optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.literal('rollback'),
      operationId: z.string().uuid().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.enum(['onboard', 'offboard']),
      namespace: namespaceName,
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.enum(['deploy-sample', 'remove-sample']),
      sample: name,
      namespace: namespaceName.optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.literal('reconcile'),
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.literal('set-tag'),
      tag: revisionTag,
      revision,
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.literal('remove-tag'),
      tag: revisionTag,
    })
    .strict(),
  z
    .object({
      ...base,
      action: z.literal('rotate-issuer'),
    })
    .strict(),
]);

/** The parsed body: the request and the dry-run flag apart. */
export function splitOperationRequest(
  body: z.infer<typeof operationRequestSchema>,
): { request: LifecycleRequest; dryRun: boolean } {
  const { dryRun, ...request } = body;
  return { request: request as LifecycleRequest, dryRun: dryRun ?? false };
}

/** The body of `POST /operations/:id/resume` and `/revert`. */
export const runRequestSchema = z
  .object({ dryRun: z.boolean().optional() })
  .strict();

/** The query of `GET /operations`. */
export const listQuerySchema = z.object({
  cluster: name.optional(),
  mesh: name.optional(),
  state: z
    .enum([
      'planned',
      'running',
      'succeeded',
      'failed',
      'interrupted',
      'reverting',
      'reverted',
      'revert-failed',
    ])
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
});

/** The path parameters of `/operations/:id...`. */
export const operationPathSchema = z.object({ id: z.string().uuid() });
