import type {
  BenchmarkProfileSpec,
  Plan,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import type { ProfileSpec } from '../../benchmark/profileSchema';
import { maskSecretHeaders } from '../../benchmark/secretHeaders';
import type { Operation } from '../types';

function maskProfile(profile: BenchmarkProfileSpec): BenchmarkProfileSpec {
  return maskSecretHeaders(profile as ProfileSpec);
}

function maskStep(step: PlanStep): PlanStep {
  return step.type === 'benchmark'
    ? { ...step, profile: maskProfile(step.profile) }
    : step;
}

/**
 * A plan as API responses show it: benchmark steps' secret header values `***`. A gate's stored
 * profile keeps its secret headers sealed in the plan (the run opens them); the API shows neither
 * the value nor its sealed text. (Inline gate profiles cannot carry secret headers.)
 */
export function maskPlanSecrets<T extends Plan>(plan: T): T {
  return plan.steps.some(s => s.type === 'benchmark')
    ? { ...plan, steps: plan.steps.map(maskStep) }
    : plan;
}

/** An operation as API responses show it (its plan masked). */
export function maskOperationSecrets<T extends Operation>(operation: T): T {
  return { ...operation, plan: maskPlanSecrets(operation.plan) };
}
