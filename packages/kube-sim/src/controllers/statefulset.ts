import { KubeObject, meta } from '../api/types';
import { JsonObject } from '../util/objects';
import { Controller, ControllerContext } from './manager';
import {
  controlledBy,
  isActivePod,
  isPodReady,
  keyOf,
  createControlledPod,
  ownerKeys,
  podFromTemplate,
  selfKey,
  splitKey,
  templateHash,
  writeStatusIfChanged,
} from './util';

const REV = 'controller-revision-hash';

/** StatefulSets: pods `<name>-<ordinal>`, created in order (OrderedReady), updated from the highest ordinal. */
export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  readonly watches = {
    'apps/statefulsets': selfKey,
    '/pods': ownerKeys('StatefulSet'),
  };

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list('apps/statefulsets').map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const type = ctx.type('apps', 'statefulsets');
    const podType = ctx.type('', 'pods');
    const sts = ctx.api.tryGet(type, namespace, name);
    if (!sts || meta(sts).deletionTimestamp) return;
    const spec = sts.spec as JsonObject;
    const replicas = Number(spec.replicas ?? 1);
    const parallel = spec.podManagementPolicy === 'Parallel';
    const revision = `${name}-${templateHash(spec.template)}`;
    const pods = controlledBy(ctx.api.store, '/pods', meta(sts).uid!).filter(
      isActivePod,
    );
    const byOrdinal = new Map<number, KubeObject>();
    for (const p of pods) {
      const m = /-(\d+)$/.exec(meta(p).name!);
      if (m) byOrdinal.set(Number(m[1]), p);
    }
    let changed = false;
    for (let i = 0; i < replicas; i++) {
      const p = byOrdinal.get(i);
      if (!p) {
        const pod = podFromTemplate(spec.template, sts, {
          name: `${name}-${i}`,
          labels: {
            [REV]: revision,
            'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
            'apps.kubernetes.io/pod-index': String(i),
          },
        });
        const ps = pod.spec as JsonObject;
        ps.hostname = `${name}-${i}`;
        if (spec.serviceName) ps.subdomain = spec.serviceName;
        try {
          byOrdinal.set(
            i,
            createControlledPod(
              ctx,
              sts,
              pod,
              'statefulset-controller',
              () => `create Pod ${name}-${i} in StatefulSet ${name} successful`,
            ),
          );
        } catch {
          // a terminating pod of that name still exists
        }
        changed = true;
        if (!parallel) break;
      } else if (!parallel && !isPodReady(p)) {
        break;
      }
    }
    if (!changed) {
      const extra = [...byOrdinal.keys()]
        .filter(i => i >= replicas)
        .sort((a, b) => b - a);
      for (const i of parallel ? extra : extra.slice(0, 1)) {
        ctx.api.delete(podType, namespace, `${name}-${i}`, {}, {});
        ctx.events.record(
          sts,
          'Normal',
          'SuccessfulDelete',
          `delete Pod ${name}-${i} in StatefulSet ${name} successful`,
          'statefulset-controller',
        );
        changed = true;
      }
    }
    const inRange = [...byOrdinal.entries()].filter(([i]) => i < replicas);
    if (
      !changed &&
      inRange.length === replicas &&
      inRange.every(([, p]) => isPodReady(p))
    ) {
      const stale = inRange
        .filter(([, p]) => meta(p).labels?.[REV] !== revision)
        .sort((a, b) => b[0] - a[0]);
      if (stale.length) {
        ctx.api.delete(podType, namespace, meta(stale[0][1]).name!, {}, {});
        ctx.events.record(
          sts,
          'Normal',
          'SuccessfulDelete',
          `delete Pod ${
            meta(stale[0][1]).name
          } in StatefulSet ${name} successful`,
          'statefulset-controller',
        );
      }
    }
    const current = controlledBy(ctx.api.store, '/pods', meta(sts).uid!).filter(
      isActivePod,
    );
    const ready = current.filter(isPodReady).length;
    const updated = current.filter(
      p => meta(p).labels?.[REV] === revision,
    ).length;
    const prev = (sts.status ?? {}) as JsonObject;
    const status: JsonObject = {
      observedGeneration: meta(sts).generation,
      replicas: current.length,
      readyReplicas: ready,
      currentReplicas:
        updated === current.length ? current.length : current.length - updated,
      updatedReplicas: updated,
      currentRevision:
        updated === current.length
          ? revision
          : prev.currentRevision ?? revision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: ready,
    };
    writeStatusIfChanged(ctx, type, sts, status);
  }
}
