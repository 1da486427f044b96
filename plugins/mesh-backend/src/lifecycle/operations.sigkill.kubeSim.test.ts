import type { Operation, Plan } from '@meshstage/plugin-mesh-common';
import {
  type ClusterSnapshot,
  differingKeys,
  planKinds,
  snapshotCluster,
  withPlaceholders,
} from './__testUtils__/clusterSnapshot';
import {
  type HoldRule,
  type KillMoment,
  formatKillPoint,
  holdRuleFor,
  objectPath,
} from './__testUtils__/killPoints';
import {
  type KillRecord,
  type KillTarget,
  SigkillHarness,
} from './__testUtils__/SigkillHarness';

// A mesh backend in a child process is killed with SIGKILL at chosen points of an Istio install
// and of an Istio canary upgrade, restarted on the same SQLite database and cluster, and the
// interrupted operation is resumed (the cluster must end exactly as after an uninterrupted run)
// or reverted (exactly as before the operation), never in between. The kill is exact: a proxy
// between the backend and kube-sim holds the step's cluster request (before it reaches the
// cluster, or after the cluster applied it and before the backend saw the answer) and the test
// kills the backend while it waits. A set of points runs side by side, one cluster each, so one
// backend start serves the whole set (a start takes seconds, the operations less).

// Several backend processes, a dozen clusters and their rollouts: generous for a busy machine.
jest.setTimeout(20 * 60_000);

// Short, so that a killed backend's operations count as dead soon after; only the sweep at a
// backend's start marks them (the test backend's scheduler runs no periodic task).
const INTERRUPT_AFTER_MS = 2000;

/** A kill point named by its step's description (the plan numbers it) and the moment. */
interface NamedKillPoint {
  step: string;
  moment: KillMoment;
}

const INSTALL = { action: 'install', mesh: 'istio', version: '1.23.4' };
const INSTALL_POINTS: NamedKillPoint[] = [
  { step: 'Apply Namespace/istio-system', moment: 'before-write' },
  { step: 'Apply Namespace/istio-system', moment: 'after-write' },
  {
    step: 'Apply CustomResourceDefinition/virtualservices.networking.istio.io',
    moment: 'after-write',
  },
  {
    step: 'Apply CustomResourceDefinition/requestauthentications.security.istio.io',
    moment: 'before-write',
  },
  {
    step: 'Apply ClusterRole/istiod-gateway-controller-istio-system',
    moment: 'after-write',
  },
  { step: 'Apply ConfigMap/istio-system/values', moment: 'before-write' },
  { step: 'Apply Deployment/istio-system/istiod', moment: 'before-write' },
  { step: 'Apply Deployment/istio-system/istiod', moment: 'after-write' },
  {
    step: 'Apply MutatingWebhookConfiguration/istio-sidecar-injector',
    moment: 'after-write',
  },
  { step: 'Wait for Deployment/istio-system/istiod', moment: 'waiting' },
];

const CANARY = {
  action: 'upgrade',
  mesh: 'istio',
  toVersion: '1.24.2',
  strategy: 'canary',
};
const CANARY_POINTS: NamedKillPoint[] = [
  { step: 'Apply Namespace/istio-system', moment: 'after-write' },
  {
    step: 'Apply CustomResourceDefinition/serviceentries.networking.istio.io',
    moment: 'after-write',
  },
  {
    step: 'Apply ServiceAccount/istio-system/istiod-1-24-2',
    moment: 'before-write',
  },
  {
    step: 'Apply Deployment/istio-system/istiod-1-24-2',
    moment: 'after-write',
  },
  { step: 'Wait for Deployment/istio-system/istiod-1-24-2', moment: 'waiting' },
  { step: 'Patch Namespace/bookinfo', moment: 'after-write' },
  { step: 'Patch Deployment/bookinfo/ratings-v1', moment: 'after-write' },
  { step: 'Patch Deployment/bookinfo/reviews-v3', moment: 'before-write' },
  { step: 'Wait for Deployment/bookinfo/ratings-v1', moment: 'waiting' },
  {
    step: 'Delete MutatingWebhookConfiguration/istio-sidecar-injector',
    moment: 'after-write',
  },
  { step: 'Delete Deployment/istio-system/istiod', moment: 'after-write' },
  { step: 'Delete ServiceAccount/istio-system/istiod', moment: 'after-write' },
];

/**
 * Each operation type: its request, where its cluster starts, its kill points, and for the
 * kill during a revert: the forward point and the revert's request to hold.
 */
const OPERATIONS = [
  {
    name: 'install of Istio 1.23.4',
    id: 'install',
    request: INSTALL,
    setup: [] as object[],
    points: INSTALL_POINTS,
    duringRevert: {
      forward: INSTALL_POINTS[7],
      // Deployment istiod and the injector ConfigMap are gone again, the rest not yet.
      hold: {
        method: 'DELETE',
        path: objectPath({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'istio-system',
          name: 'istio',
        }),
        occurrence: 1,
        phase: 'after',
      } as HoldRule,
    },
  },
  {
    name: 'canary upgrade of Istio 1.23.4 to 1.24.2',
    id: 'canary',
    request: CANARY,
    setup: [
      INSTALL,
      { action: 'onboard', mesh: 'istio', namespace: 'bookinfo' },
    ],
    points: CANARY_POINTS,
    duringRevert: {
      forward: CANARY_POINTS[10],
      // The old istiod and its webhooks are back, bookinfo's restarts undone, its label not yet.
      hold: {
        method: 'PATCH',
        path: objectPath({
          apiVersion: 'v1',
          kind: 'Namespace',
          name: 'bookinfo',
        }),
        occurrence: 1,
        phase: 'after',
      } as HoldRule,
    },
  },
];
const RECOVERIES = ['resume', 'revert', 'during-revert'];
const SLOTS = 1 + Math.max(INSTALL_POINTS.length, CANARY_POINTS.length);

/** The 1-based number of the step a kill point names. */
function stepNumber(plan: Plan, point: NamedKillPoint): number {
  const index = plan.steps.findIndex(s => s.description.startsWith(point.step));
  if (index < 0) {
    throw new Error(
      `No step '${point.step}' in the plan:\n${plan.steps
        .map(s => s.description)
        .join('\n')}`,
    );
  }
  return index + 1;
}

/** The restart times an operation's plan took from its clock, to compare across runs. */
function clockValues(plan: Plan): Record<string, string> {
  const values: Record<string, string> = {};
  for (const step of plan.steps) {
    if (step.type !== 'patch') continue;
    const at = (step.patch as any)?.spec?.template?.metadata?.annotations?.[
      'kubectl.kubernetes.io/restartedAt'
    ];
    if (typeof at === 'string') values[at] = '<restartedAt of the operation>';
  }
  return values;
}

/** `step 24 after-write: Apply Deployment/istio-system/istiod` */
const pointLabel = (plan: Plan, point: NamedKillPoint) =>
  `${formatKillPoint({
    step: stepNumber(plan, point),
    moment: point.moment,
  })}: ${point.step}`;

describe('SIGKILL at each kill point of an install and of a canary upgrade', () => {
  let harness: SigkillHarness;

  beforeAll(async () => {
    harness = await SigkillHarness.start({
      slots: SLOTS,
      // Slot 0 runs the uninterrupted runs and builds start states; every set of cases has
      // cluster names of its own, so none sees what an earlier set recorded for its clusters.
      slotNames: slot =>
        slot === 0
          ? OPERATIONS.flatMap(o => [`${o.id}-reference`, `${o.id}-setup`])
          : OPERATIONS.flatMap(o =>
              RECOVERIES.map(r => `${o.id}-${r}-${slot}`),
            ),
      interruptAfterMs: INTERRUPT_AFTER_MS,
    });
  });

  afterAll(() => harness?.stop());

  describe.each(OPERATIONS)('$name', operation => {
    let from: 'seeded' | { statePath: string };
    let reference: { plan: Plan; state: ClusterSnapshot; applied: string[] };

    beforeAll(async () => {
      from = operation.setup.length
        ? await harness.saveState(0, `${operation.id}-setup`, operation.setup)
        : 'seeded';
      // The planned state: the same request run to the end without a kill.
      const target = await harness.target(0, `${operation.id}-reference`, from);
      const op = await harness.run({
        ...operation.request,
        cluster: target.cluster,
      });
      if (op.state !== 'succeeded') {
        throw new Error(`The uninterrupted run ${op.state}: ${op.error}`);
      }
      reference = {
        plan: op.plan,
        state: withPlaceholders(
          await snapshotCluster(target.view, planKinds([op.plan])),
          clockValues(op.plan),
        ),
        applied: await harness.applied(target.cluster),
      };
      await harness.closeTargets();
    });

    /**
     * Starts one operation per point, each on a fresh cluster of its own (slots 1..n) with its
     * proxy armed for the point, and returns them with their clusters' state before.
     */
    async function startAtPoints(recovery: string, points: NamedKillPoint[]) {
      const { plan } = reference;
      const kinds = planKinds([plan]);
      const cases = [];
      for (const [i, point] of points.entries()) {
        const target = await harness.target(
          i + 1,
          `${operation.id}-${recovery}-${i + 1}`,
          from,
        );
        const pre = await snapshotCluster(target.view, kinds);
        target.proxy.arm(
          holdRuleFor(plan, {
            step: stepNumber(plan, point),
            moment: point.moment,
          }),
        );
        const op = await harness.start({
          ...operation.request,
          cluster: target.cluster,
        });
        // The point's request was counted on the reference plan: this one must be the same.
        expect(op.plan.steps.map(s => s.description)).toEqual(
          plan.steps.map(s => s.description),
        );
        cases.push({
          point,
          label: pointLabel(plan, point),
          target,
          pre,
          operationId: op.id,
        });
      }
      return cases;
    }

    /** Requests a resume or revert of each case on the backend running now. */
    async function recover(
      cases: Array<{ operationId: string; label: string }>,
      how: (i: number) => 'resume' | 'revert',
    ) {
      for (const [i, c] of cases.entries()) {
        const { body } = await harness.backend.api.get(
          `/operations/${c.operationId}`,
        );
        const res = await harness.backend.api.post(
          `/operations/${c.operationId}/${how(i)}`,
        );
        expect([c.label, body.operation.state, res.status]).toEqual([
          c.label,
          'interrupted',
          202,
        ]);
      }
    }

    /** How a case ended, as one row of the per-point report. */
    async function outcome(
      c: {
        label: string;
        target: KillTarget;
        pre: ClusterSnapshot;
        operationId: string;
      },
      atKill: KillRecord,
      expected: ClusterSnapshot,
    ) {
      const op: Operation = await harness.settled(c.operationId);
      const after = await snapshotCluster(
        c.target.view,
        planKinds([reference.plan]),
      );
      return {
        point: c.label,
        atKill: {
          state: atKill.state,
          step: atKill.step,
          clusterApplied: atKill.held.forwarded,
        },
        state: op.state,
        error: op.error ?? null,
        differsFromExpected: differingKeys(
          expected,
          withPlaceholders(after, clockValues(op.plan)),
        ),
        lockHeld: await harness.lockHeld(c.target.cluster),
        applied: await harness.applied(c.target.cluster),
      };
    }

    /** The row a case must produce. */
    function expectedRow(
      point: NamedKillPoint,
      end: { state: string; applied: string[] },
    ) {
      return {
        point: pointLabel(reference.plan, point),
        atKill: {
          state: 'running',
          step: stepNumber(reference.plan, point),
          clusterApplied: point.moment === 'after-write',
        },
        state: end.state,
        error: null,
        differsFromExpected: [],
        lockHeld: false,
        applied: end.applied,
      };
    }

    it.each([
      ['resumed', 'as an uninterrupted run', 'resume', 'succeeded'],
      ['reverted', 'as before the operation', 'revert', 'reverted'],
    ] as const)(
      '%s after a kill at each point, ends exactly %s',
      async (_verb, _end, how, endState) => {
        const cases = await startAtPoints(how, operation.points);
        const atKill = await harness.killWhenHeld(cases);
        await recover(cases, () => how);
        const rows = [];
        for (const [i, c] of cases.entries()) {
          rows.push(
            await outcome(
              c,
              atKill[i],
              how === 'resume' ? reference.state : c.pre,
            ),
          );
        }
        await harness.closeTargets();
        report(how, rows);
        expect(rows).toEqual(
          operation.points.map(p =>
            expectedRow(p, {
              state: endState,
              applied: how === 'resume' ? reference.applied : [],
            }),
          ),
        );
      },
    );

    it('killed again while reverting: a resume ends as an uninterrupted run, a revert as before', async () => {
      const { forward, hold } = operation.duringRevert;
      const cases = await startAtPoints('during-revert', [forward, forward]);
      await harness.killWhenHeld(cases);
      for (const c of cases) c.target.proxy.arm(hold);
      await recover(cases, () => 'revert');
      const atRevertKill = await harness.killWhenHeld(
        cases.map(c => ({
          ...c,
          label: `${c.label}, then the revert at ${hold.method} ${hold.path}`,
        })),
      );
      expect(atRevertKill.map(k => [k.state, k.held.forwarded])).toEqual([
        ['reverting', true],
        ['reverting', true],
      ]);
      await recover(cases, i => (i === 0 ? 'resume' : 'revert'));
      const revertPoint = `, revert killed after ${hold.method} ${hold.path}`;
      const rows = [
        await outcome(
          { ...cases[0], label: cases[0].label + revertPoint },
          atRevertKill[0],
          reference.state,
        ),
        await outcome(
          { ...cases[1], label: cases[1].label + revertPoint },
          atRevertKill[1],
          cases[1].pre,
        ),
      ];
      await harness.closeTargets();
      report('during revert', rows);
      expect(
        rows.map(r => [r.state, r.differsFromExpected, r.lockHeld, r.applied]),
      ).toEqual([
        ['succeeded', [], false, reference.applied],
        ['reverted', [], false, []],
      ]);
    });
  });
});

function report(recovery: string, rows: Array<Record<string, any>>) {
  // One line per point in the test output: what the kill left, how the recovery ended.
  console.log(
    rows
      .map(
        r =>
          `${recovery} | ${r.point} | at kill: ${r.atKill.state}${
            r.atKill.step ? ` at step ${r.atKill.step}` : ''
          }${r.atKill.clusterApplied ? ', write applied' : ''} | after: ${
            r.state
          }, ${
            r.differsFromExpected.length
              ? `differs: ${r.differsFromExpected.join(', ')}`
              : 'exact'
          }`,
      )
      .join('\n'),
  );
}
