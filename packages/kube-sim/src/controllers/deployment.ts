import { KubeObject, meta } from '../api/types';
import { clone, deepEqual, isObject, JsonObject } from '../util/objects';
import { nowTimestamp } from '../util/time';
import { Controller, ControllerContext } from './manager';
import {
  controlledBy,
  intOrPercent,
  keyOf,
  MANAGER,
  ownerKeys,
  ownerReference,
  selfKey,
  setCondition,
  splitKey,
  templateHash,
  templatesEqual,
} from './util';

const REVISION = 'deployment.kubernetes.io/revision';
const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const revisionOf = (rs: KubeObject) =>
  Number(meta(rs).annotations?.[REVISION] ?? 0);
const spec = (o: KubeObject) => (o.spec ?? {}) as JsonObject;
const status = (o: KubeObject) => (o.status ?? {}) as JsonObject;

/**
 * The Deployment controller: one ReplicaSet per pod template
 * (`<name>-<pod-template-hash>`, revision annotations), rolling updates that
 * honour maxSurge/maxUnavailable as pods become available, Recreate, rollback
 * to an older template (its ReplicaSet is reused with a new revision), and
 * the status and conditions `kubectl rollout status` reads.
 */
export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly watches = {
    'apps/deployments': selfKey,
    'apps/replicasets': ownerKeys('Deployment'),
  };

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list('apps/deployments').map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const dType = ctx.type('apps', 'deployments');
    const d = ctx.api.tryGet(dType, namespace, name);
    if (!d || meta(d).deletionTimestamp) return;
    const ds = spec(d);
    const desired = n(ds.replicas ?? 1);
    const all = controlledBy(ctx.api.store, 'apps/replicasets', meta(d).uid!);
    let newRS = all.find(rs => templatesEqual(spec(rs).template, ds.template));
    const maxRev = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const strategy = (ds.strategy ?? {}) as JsonObject;
    const ru = (strategy.rollingUpdate ?? {}) as JsonObject;
    const recreate = strategy.type === 'Recreate';
    const maxSurge = recreate
      ? 0
      : intOrPercent(ru.maxSurge ?? '25%', desired, true);
    let maxUnavailable = recreate
      ? 0
      : intOrPercent(ru.maxUnavailable ?? '25%', desired, false);
    if (!recreate && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    let createdNew = false;

    if (!newRS) {
      newRS = this.createReplicaSet(d, maxRev + 1, desired, maxSurge, all, ctx);
      createdNew = true;
    } else if (revisionOf(newRS) < maxRev) {
      newRS = this.updateRS(
        newRS,
        { annotations: { [REVISION]: String(maxRev + 1) } },
        ctx,
      );
    }
    const olds = all.filter(rs => meta(rs).uid !== meta(newRS!).uid);

    if (!ds.paused) {
      if (recreate) this.recreate(d, newRS, olds, desired, ctx);
      else
        newRS = this.rolling(
          d,
          newRS,
          olds,
          desired,
          maxSurge,
          maxUnavailable,
          ctx,
        );
      this.cleanup(d, olds, ctx);
    }

    // the Deployment carries the revision of its current ReplicaSet
    const rev = meta(newRS).annotations?.[REVISION];
    const cur = ctx.api.tryGet(dType, namespace, name)!;
    if (rev && meta(cur).annotations?.[REVISION] !== rev) {
      const next = clone(cur) as KubeObject;
      meta(next).annotations = {
        ...(meta(next).annotations ?? {}),
        [REVISION]: rev,
      };
      ctx.api.update(dType, namespace, name, next, { fieldManager: MANAGER });
    }
    this.updateStatus(namespace, name, newRS, maxUnavailable, createdNew, ctx);
  }

  private createReplicaSet(
    d: KubeObject,
    revision: number,
    desired: number,
    maxSurge: number,
    existing: KubeObject[],
    ctx: ControllerContext,
  ): KubeObject {
    const ds = spec(d);
    const m = meta(d);
    const collision = n(status(d).collisionCount);
    const hash = templateHash(ds.template, collision);
    const template = clone(ds.template) as JsonObject;
    const tm = (template.metadata ?? {}) as JsonObject;
    template.metadata = tm;
    tm.labels = {
      ...((tm.labels as Record<string, string>) ?? {}),
      'pod-template-hash': hash,
    };
    const selector = clone(ds.selector ?? {}) as JsonObject;
    selector.matchLabels = {
      ...((selector.matchLabels as Record<string, string>) ?? {}),
      'pod-template-hash': hash,
    };
    const noOld = existing.every(rs => n(spec(rs).replicas) === 0);
    const initial = noOld ? desired : 0;
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${m.name}-${hash}`,
        namespace: m.namespace,
        labels: tm.labels as Record<string, string>,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(desired),
          'deployment.kubernetes.io/max-replicas': String(desired + maxSurge),
          [REVISION]: String(revision),
        },
        ownerReferences: [ownerReference(d)],
      },
      spec: {
        replicas: initial,
        minReadySeconds: ds.minReadySeconds ?? 0,
        selector,
        template,
      },
    };
    const created = ctx.api.create(
      ctx.type('apps', 'replicasets'),
      m.namespace!,
      rs,
      { fieldManager: MANAGER, fieldValidation: 'Ignore' },
    );
    if (initial > 0) {
      ctx.events.record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${meta(created).name} from 0 to ${initial}`,
        'deployment-controller',
      );
    }
    return created;
  }

  private updateRS(
    rs: KubeObject,
    change: { replicas?: number; annotations?: Record<string, string> },
    ctx: ControllerContext,
  ): KubeObject {
    const next = clone(rs) as KubeObject;
    if (change.replicas !== undefined)
      (next.spec as JsonObject).replicas = change.replicas;
    if (change.annotations)
      meta(next).annotations = {
        ...(meta(next).annotations ?? {}),
        ...change.annotations,
      };
    if (deepEqual(next, rs)) return rs;
    return ctx.api.update(
      ctx.type('apps', 'replicasets'),
      meta(rs).namespace!,
      meta(rs).name!,
      next,
      { fieldManager: MANAGER },
    );
  }

  private scale(
    d: KubeObject,
    rs: KubeObject,
    to: number,
    desired: number,
    maxSurge: number,
    ctx: ControllerContext,
  ): KubeObject {
    const from = n(spec(rs).replicas);
    if (from === to) return rs;
    const updated = this.updateRS(
      rs,
      {
        replicas: to,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(desired),
          'deployment.kubernetes.io/max-replicas': String(desired + maxSurge),
        },
      },
      ctx,
    );
    ctx.events.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${to > from ? 'up' : 'down'} replica set ${
        meta(rs).name
      } from ${from} to ${to}`,
      'deployment-controller',
    );
    return updated;
  }

  private recreate(
    d: KubeObject,
    newRS: KubeObject,
    olds: KubeObject[],
    desired: number,
    ctx: ControllerContext,
  ): void {
    let oldPods = 0;
    for (const rs of olds) {
      if (n(spec(rs).replicas) > 0) this.scale(d, rs, 0, desired, 0, ctx);
      oldPods += n(status(rs).replicas);
    }
    if (oldPods === 0 && olds.every(rs => n(spec(rs).replicas) === 0))
      this.scale(d, newRS, desired, desired, 0, ctx);
  }

  private rolling(
    d: KubeObject,
    current: KubeObject,
    olds: KubeObject[],
    desired: number,
    maxSurge: number,
    maxUnavailable: number,
    ctx: ControllerContext,
  ): KubeObject {
    let newRS = current;
    const oldTotal = () => olds.reduce((s, rs) => s + n(spec(rs).replicas), 0);
    // scale up the new ReplicaSet within the surge budget
    let newReplicas = n(spec(newRS).replicas);
    if (oldTotal() === 0) {
      if (newReplicas !== desired)
        newRS = this.scale(d, newRS, desired, desired, maxSurge, ctx);
      return newRS;
    }
    if (newReplicas < desired) {
      const allowed = desired + maxSurge - (newReplicas + oldTotal());
      if (allowed > 0) {
        newReplicas = Math.min(desired, newReplicas + allowed);
        newRS = this.scale(d, newRS, newReplicas, desired, maxSurge, ctx);
      }
    } else if (newReplicas > desired) {
      newRS = this.scale(d, newRS, desired, desired, maxSurge, ctx);
      newReplicas = desired;
    }
    // scale down old ReplicaSets as far as availability allows
    const all = [newRS, ...olds];
    const total = all.reduce((s, rs) => s + n(spec(rs).replicas), 0);
    const minAvailable = desired - maxUnavailable;
    const newUnavailable = Math.max(
      0,
      newReplicas - n(status(newRS).availableReplicas),
    );
    let budget = total - minAvailable - newUnavailable;
    const sorted = [...olds].sort((a, b) =>
      String(meta(a).creationTimestamp).localeCompare(
        String(meta(b).creationTimestamp),
      ),
    );
    // unhealthy old replicas can go regardless of the budget
    for (let i = 0; i < sorted.length; i++) {
      const rs = sorted[i];
      const unhealthy = n(spec(rs).replicas) - n(status(rs).availableReplicas);
      if (unhealthy > 0 && budget > 0) {
        const cut = Math.min(unhealthy, budget);
        sorted[i] = this.scale(
          d,
          rs,
          n(spec(rs).replicas) - cut,
          desired,
          maxSurge,
          ctx,
        );
        budget -= cut;
      }
    }
    for (let i = 0; i < sorted.length && budget > 0; i++) {
      const rs = sorted[i];
      const cur = n(spec(rs).replicas);
      if (cur === 0) continue;
      const cut = Math.min(cur, budget);
      sorted[i] = this.scale(d, rs, cur - cut, desired, maxSurge, ctx);
      budget -= cut;
    }
    return newRS;
  }

  /** Deletes old, scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private cleanup(
    d: KubeObject,
    olds: KubeObject[],
    ctx: ControllerContext,
  ): void {
    const limit = n(spec(d).revisionHistoryLimit ?? 10);
    const candidates = olds
      .map(
        rs =>
          ctx.api.store.get(
            'apps/replicasets',
            meta(rs).namespace!,
            meta(rs).name!,
          ) ?? rs,
      )
      .filter(
        rs =>
          n(spec(rs).replicas) === 0 &&
          n(status(rs).replicas) === 0 &&
          !meta(rs).deletionTimestamp,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const excess = candidates.length - limit;
    for (let i = 0; i < excess; i++) {
      try {
        ctx.api.delete(
          ctx.type('apps', 'replicasets'),
          meta(candidates[i]).namespace!,
          meta(candidates[i]).name!,
          {},
          {},
        );
      } catch {
        // gone
      }
    }
  }

  private updateStatus(
    namespace: string,
    name: string,
    newRS: KubeObject,
    maxUnavailable: number,
    createdNew: boolean,
    ctx: ControllerContext,
  ): void {
    const dType = ctx.type('apps', 'deployments');
    const d = ctx.api.tryGet(dType, namespace, name);
    if (!d) return;
    const all = controlledBy(ctx.api.store, 'apps/replicasets', meta(d).uid!);
    const cur = all.find(rs => meta(rs).uid === meta(newRS).uid) ?? newRS;
    const desired = n(spec(d).replicas ?? 1);
    const replicas = all.reduce((s, rs) => s + n(status(rs).replicas), 0);
    const ready = all.reduce((s, rs) => s + n(status(rs).readyReplicas), 0);
    const available = all.reduce(
      (s, rs) => s + n(status(rs).availableReplicas),
      0,
    );
    const updated = n(status(cur).replicas);
    const now = nowTimestamp(ctx.now());
    const prev = status(d);
    let conds = Array.isArray(prev.conditions)
      ? (prev.conditions as JsonObject[])
      : [];
    conds = setCondition(
      conds,
      available >= desired - maxUnavailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
      'lastUpdateTime',
    );
    const complete =
      updated === desired &&
      replicas === updated &&
      available === updated &&
      n(spec(cur).replicas) === desired;
    const rsName = meta(cur).name;
    const prevProgress = conds.find(c => c.type === 'Progressing');
    let progressing: JsonObject = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rsName}" is progressing.`,
    };
    if (complete) {
      progressing = {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      };
    } else if (
      createdNew ||
      (prevProgress?.reason === 'NewReplicaSetCreated' &&
        prevProgress.message === `Created new replica set "${rsName}"`)
    ) {
      progressing = {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetCreated',
        message: `Created new replica set "${rsName}"`,
      };
    }
    conds = setCondition(conds, progressing, now, 'lastUpdateTime');
    // real order: Available first, then Progressing
    conds.sort(
      (a, b) => Number(b.type === 'Available') - Number(a.type === 'Available'),
    );
    const next: JsonObject = {
      observedGeneration: meta(d).generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, desired - available),
      conditions: conds.map(c => {
        const o: JsonObject = {
          type: c.type,
          status: c.status,
          lastUpdateTime: c.lastUpdateTime,
          lastTransitionTime: c.lastTransitionTime,
          reason: c.reason,
          message: c.message,
        };
        return o;
      }),
    };
    if (isObject(prev) && prev.collisionCount !== undefined)
      next.collisionCount = prev.collisionCount;
    for (const k of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ])
      if (next[k] === 0) delete next[k];
    if (deepEqual(next, d.status)) return;
    ctx.api.update(
      dType,
      namespace,
      name,
      { ...d, status: next },
      { fieldManager: MANAGER },
      'status',
    );
  }
}
