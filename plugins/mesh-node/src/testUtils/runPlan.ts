import type {
  ObjectRef,
  Plan,
  PlanObject,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import type { TestClusterTarget } from './clusterWrites';
import { eventually } from './clusterWrites';
import { kubeCollectionPath, kubeResourceOf } from '../kube';
import { materializeSecrets, type PlanSecrets } from '../secrets';

function objectPath(ref: ObjectRef): string {
  const collection = kubeCollectionPath(
    kubeResourceOf(ref.apiVersion, ref.kind),
    ref.namespace,
  );
  return `${collection}/${encodeURIComponent(ref.name)}`;
}

async function request(
  target: TestClusterTarget,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${target.url.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(target.token && { Authorization: `Bearer ${target.token}` }),
      ...(contentType && { 'Content-Type': contentType }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function expectOk(
  what: string,
  result: Promise<{ status: number; body: any }>,
  allow: number[] = [],
): Promise<any> {
  const { status, body } = await result;
  if (status >= 400 && !allow.includes(status)) {
    throw new Error(`${what} → ${status}: ${JSON.stringify(body)}`);
  }
  return body;
}

/**
 * Server-side applies objects in order with field manager `meshstage`, as the backend executes
 * apply steps. JSON bodies are sent as `application/apply-patch+yaml` (JSON is YAML).
 * @public
 */
export async function applyTestObjects(
  target: TestClusterTarget,
  objects: PlanObject[],
): Promise<void> {
  for (const object of objects) {
    await expectOk(
      `apply ${formatObjectRef(objectRef(object))}`,
      request(
        target,
        'PATCH',
        `${objectPath(objectRef(object))}?fieldManager=meshstage&force=true`,
        object,
        'application/apply-patch+yaml',
      ),
    );
  }
}

function conditionTrue(obj: any, type: string): boolean {
  return (obj?.status?.conditions ?? []).some(
    (c: any) => c.type === type && c.status === 'True',
  );
}

function reached(obj: any, condition: string): boolean {
  const replicas = obj?.spec?.replicas ?? 1;
  const status = obj?.status ?? {};
  switch (condition) {
    case 'Available':
      return (
        conditionTrue(obj, 'Available') &&
        (status.availableReplicas ?? 0) >= replicas
      );
    case 'RolloutComplete':
      return (
        (status.observedGeneration ?? 0) >= (obj?.metadata?.generation ?? 0) &&
        (status.updatedReplicas ?? 0) === replicas &&
        (status.availableReplicas ?? 0) === replicas &&
        (status.replicas ?? 0) === replicas
      );
    case 'Established':
      return conditionTrue(obj, 'Established');
    default:
      return false;
  }
}

/** Options of {@link runTestStep} and {@link runTestPlan}. @public */
export interface RunTestPlanOptions {
  /** Caps every wait step, so a broken test fails fast (default 60 s). */
  maxWaitMs?: number;
  /** The {@link PlanSecrets} the plan was made with, to fill in its private values. */
  secrets?: PlanSecrets;
  /**
   * What canary gate steps decide (the kit runs no benchmark): `promote` (default) goes on;
   * `rollback` executes the gate's rollback steps and ends the plan there.
   */
  gate?: 'promote' | 'rollback';
}

/**
 * Executes one plan step against a test cluster: apply (server-side), patch (merge patch),
 * delete (absent is fine), wait (polls until the condition holds or the step's timeout, capped
 * at `maxWaitMs` so a broken test fails fast). Benchmark steps measure nothing here; a gate step
 * executes its rollback when `gate` is `rollback`.
 * @public
 */
export async function runTestStep(
  target: TestClusterTarget,
  step: PlanStep,
  options: RunTestPlanOptions = {},
): Promise<void> {
  switch (step.type) {
    case 'apply': {
      let object = step.object;
      if (object.kind === 'Secret') {
        const live = await request(
          target,
          'GET',
          objectPath(objectRef(object)),
        );
        object = materializeSecrets(
          object,
          options.secrets,
          live.status < 400 ? live.body : undefined,
        );
      }
      await applyTestObjects(target, [object]);
      return;
    }
    case 'patch':
      await expectOk(
        step.description,
        request(
          target,
          'PATCH',
          objectPath(step.target),
          step.patch,
          'application/merge-patch+json',
        ),
      );
      return;
    case 'delete':
      await expectOk(
        step.description,
        request(target, 'DELETE', objectPath(step.target)),
        [404],
      );
      return;
    case 'wait': {
      const timeoutMs = Math.min(
        step.timeoutSeconds * 1000,
        options.maxWaitMs ?? 60_000,
      );
      await eventually(async () => {
        const { status, body } = await request(
          target,
          'GET',
          objectPath(step.target),
        );
        if (step.condition === 'Deleted')
          return status === 404 ? true : undefined;
        return status < 400 && reached(body, step.condition) ? true : undefined;
      }, timeoutMs).catch(error => {
        throw new Error(`${step.description}: ${error}`);
      });
      return;
    }
    case 'benchmark':
      return;
    case 'gate':
      if (options.gate === 'rollback') {
        for (const s of step.rollback) await runTestStep(target, s, options);
      }
      return;
    default:
      throw new Error(`Unknown step type ${(step as { type: string }).type}`);
  }
}

/**
 * Executes a plan's steps in order against a test cluster (kube-sim or a real one), the way an
 * adapter author checks that a plan does what it says.
 * @public
 */
export async function runTestPlan(
  target: TestClusterTarget,
  plan: Plan,
  options: RunTestPlanOptions = {},
): Promise<void> {
  for (const step of plan.steps) {
    await runTestStep(target, step, options);
    // A failed gate stops the operation, as the backend does.
    if (step.type === 'gate' && options.gate === 'rollback') return;
  }
}
