import { z } from 'zod';
import { profileInputSchema } from '../../benchmark/profileSchema';
import { parseP99Allowance } from './budget';

// A stored profile's id: a UUID, as the benchmark routes accept it.
const profileId = z.string().uuid();

/**
 * `gate.profile`: a stored profile's id or an inline profile. Checked here rather than with
 * `z.union`, whose first issue would be a bare "Invalid input": an inline profile's problems keep
 * their own path (`gate.profile.endpoints.0.url`).
 */
const profileRef = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value === 'string') {
      const id = profileId.safeParse(value);
      if (!id.success) ctx.addIssue(id.error.issues[0]);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          value === undefined
            ? 'Required: a benchmark profile id or an inline profile'
            : 'Expected a benchmark profile id or an inline profile',
      });
      return;
    }
    const inline = profileInputSchema.safeParse(value);
    if (!inline.success) {
      for (const issue of inline.error.issues) ctx.addIssue(issue);
    }
  })
  .transform(value =>
    typeof value === 'string' ? value : profileInputSchema.parse(value),
  );

// A Kubernetes namespace name (RFC 1123 label), as the other lifecycle requests take it.
const namespaceName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a Kubernetes namespace name (lower-case letters, digits and dashes)',
  )
  .max(63);

/** `gate` of a canary upgrade request (see mesh-common's `CanaryGate`). */
export const canaryGateSchema = z
  .object({
    profile: profileRef,
    namespace: namespaceName.optional(),
    budget: z
      .object({
        p99Increase: z
          .string()
          .max(32)
          .superRefine((text, ctx) => {
            try {
              parseP99Allowance(text);
            } catch (error) {
              ctx.addIssue({
                code: z.ZodIssueCode.custom,
                message: (error as Error).message,
              });
            }
          }),
        errorRateIncrease: z
          .number()
          .min(0, 'must not be negative')
          .max(1, 'is a ratio: at most 1'),
      })
      .strict(),
  })
  .strict();
