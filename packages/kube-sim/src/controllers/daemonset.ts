import { meta } from '../api/types';
import { NODE_NAME } from '../bootstrap';
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

/** DaemonSets on the one node: one pod each, replaced when the template changes. */
export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  readonly watches = {
    'apps/daemonsets': selfKey,
    '/pods': ownerKeys('DaemonSet'),
  };

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list('apps/daemonsets').map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const type = ctx.type('apps', 'daemonsets');
    const podType = ctx.type('', 'pods');
    const ds = ctx.api.tryGet(type, namespace, name);
    if (!ds || meta(ds).deletionTimestamp) return;
    const spec = ds.spec as JsonObject;
    const hash = templateHash(spec.template);
    const pods = controlledBy(ctx.api.store, '/pods', meta(ds).uid!).filter(
      isActivePod,
    );
    const stale = pods.filter(
      p => meta(p).labels?.['controller-revision-hash'] !== hash,
    );
    for (const p of stale)
      ctx.api.delete(podType, namespace, meta(p).name!, {}, {});
    const current = pods.filter(p => !stale.includes(p));
    if (current.length === 0) {
      const pod = podFromTemplate(spec.template, ds, {
        generateName: `${name}-`,
        labels: {
          'controller-revision-hash': hash,
          'pod-template-generation': String(meta(ds).generation ?? 1),
        },
      });
      (pod.spec as JsonObject).nodeName = NODE_NAME;
      current.push(createControlledPod(ctx, ds, pod, 'daemonset-controller'));
    }
    const ready = current.filter(isPodReady).length;
    const status: JsonObject = {
      currentNumberScheduled: current.length,
      desiredNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: meta(ds).generation,
      updatedNumberScheduled: current.length,
      numberAvailable: ready,
      ...(ready ? {} : { numberUnavailable: 1 }),
    };
    if (!ready) delete status.numberAvailable;
    writeStatusIfChanged(ctx, type, ds, status);
  }
}
