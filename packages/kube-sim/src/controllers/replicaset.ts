import { KubeObject, meta } from '../api/types';
import { matchesLabels, selectorFromSpec } from '../selectors/label-selector';
import { clone, JsonObject } from '../util/objects';
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
  writeStatusIfChanged,
} from './util';

/** Keeps spec.replicas pods of each ReplicaSet and reports their readiness in its status. */
export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly watches = {
    'apps/replicasets': selfKey,
    '/pods': ownerKeys('ReplicaSet'),
  };

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list('apps/replicasets').map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const rsType = ctx.type('apps', 'replicasets');
    const podType = ctx.type('', 'pods');
    const rs = ctx.api.tryGet(rsType, namespace, name);
    if (!rs || meta(rs).deletionTimestamp) return;
    const spec = rs.spec as JsonObject;
    const uid = meta(rs).uid!;
    const pods = controlledBy(ctx.api.store, '/pods', uid).filter(isActivePod);
    const desired = Number(spec.replicas ?? 1);
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++) {
        const pod = podFromTemplate(spec.template, rs, {
          generateName: `${name}-`,
        });
        try {
          pods.push(createControlledPod(ctx, rs, pod, 'replicaset-controller'));
        } catch (e) {
          ctx.events.record(
            rs,
            'Warning',
            'FailedCreate',
            `Error creating: ${(e as Error).message}`,
            'replicaset-controller',
          );
          break;
        }
      }
    } else if (pods.length > desired) {
      // delete not-ready pods first, then the newest
      const victims = [...pods]
        .sort(
          (a, b) =>
            Number(isPodReady(a)) - Number(isPodReady(b)) ||
            String(meta(b).creationTimestamp).localeCompare(
              String(meta(a).creationTimestamp),
            ),
        )
        .slice(0, pods.length - desired);
      for (const v of victims) {
        try {
          ctx.api.delete(podType, namespace, meta(v).name!, {}, {});
          ctx.events.record(
            rs,
            'Normal',
            'SuccessfulDelete',
            `Deleted pod: ${meta(v).name}`,
            'replicaset-controller',
          );
        } catch {
          // already gone
        }
        pods.splice(pods.indexOf(v), 1);
      }
    }
    const sel = selectorFromSpec(spec.selector as JsonObject) ?? [];
    const tmplLabels = ((spec.template as JsonObject)?.metadata as JsonObject)
      ?.labels as Record<string, string> | undefined;
    const ready = pods.filter(isPodReady).length;
    const status: JsonObject = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter(
        p =>
          matchesLabels(sel, meta(p).labels) &&
          matchesLabels(
            selectorFromSpec({ matchLabels: tmplLabels }) ?? [],
            meta(p).labels,
          ),
      ).length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: meta(rs).generation,
    };
    if (!ready) delete status.readyReplicas;
    if (!ready) delete status.availableReplicas;
    this.writeStatus(rs, status, ctx);
  }

  private writeStatus(
    rs: KubeObject,
    status: JsonObject,
    ctx: ControllerContext,
  ): void {
    const cur = clone(rs.status ?? {}) as JsonObject;
    const next = { ...cur, ...status };
    for (const k of ['readyReplicas', 'availableReplicas'])
      if (status[k] === undefined) delete next[k];
    writeStatusIfChanged(ctx, ctx.type('apps', 'replicasets'), rs, next);
  }
}
