import type {
  BenchmarkProfileSpec,
  BenchmarkStep,
  CanaryGateBudget,
  GateStep,
  PlanStep,
  ResolvedCanaryGate,
} from '@meshstage/plugin-mesh-common';

/** A control-plane revision and the mesh version it runs. @public */
export interface GateRevision {
  revision: string;
  version: string;
}

/** `500 requests` or `10s` (after a warm-up), `60 connections`, `150 req/s` or `max rate`, where from. */
function profileLoad(p: BenchmarkProfileSpec): string {
  const amount =
    p.requestCount !== undefined
      ? `${p.requestCount} requests`
      : p.duration ?? '10s';
  const rate = p.rate > 0 ? `${p.rate} req/s` : 'max rate';
  const from = p.inCluster
    ? `in cluster ${p.inCluster.cluster}, namespace ${p.inCluster.namespace}`
    : 'from the backend';
  const warmup = p.warmup ? ` after a ${p.warmup} warm-up` : '';
  return `${amount}${warmup}, ${p.connections} connections, ${rate}, ${from}`;
}

/** The budget as the plan and the log say it: `p99 +20%, error rate +0.01`. @public */
export function formatGateBudget(budget: CanaryGateBudget): string {
  return `p99 +${budget.p99Increase}, error rate +${budget.errorRateIncrease}`;
}

/**
 * A plan step that runs the gate's profile while `serving` serves the gate's namespace: the
 * `baseline` before the namespace moves, the `candidate` after.
 * @public
 */
export function canaryBenchmarkStep(
  gate: ResolvedCanaryGate,
  role: BenchmarkStep['role'],
  serving: GateRevision,
): BenchmarkStep {
  const which =
    role === 'baseline'
      ? `stable revision ${serving.revision} (baseline)`
      : `revision ${serving.revision} (candidate)`;
  return {
    type: 'benchmark',
    description: `Benchmark '${gate.profile.name}' on namespace ${
      gate.namespace
    }, served by ${which}: ${profileLoad(gate.profile)}`,
    role,
    namespace: gate.namespace,
    revision: serving.revision,
    version: serving.version,
    profile: gate.profile,
    ...(gate.profileId ? { profileId: gate.profileId } : {}),
  };
}

/**
 * The decision step of a canary gate. `rollback` are the steps that move the namespace back to
 * the stable revision, executed only when the gate fails.
 * @public
 */
export function canaryGateStep(
  gate: ResolvedCanaryGate,
  stable: GateRevision,
  candidate: GateRevision,
  rollback: PlanStep[],
): GateStep {
  return {
    type: 'gate',
    description: `Gate: promote revision ${candidate.revision} only if p99 rose at most ${gate.budget.p99Increase} and the error rate at most ${gate.budget.errorRateIncrease} beyond run-to-run noise; else move namespace ${gate.namespace} back to ${stable.revision} and stop`,
    namespace: gate.namespace,
    stable,
    candidate,
    budget: gate.budget,
    rollback,
  };
}
