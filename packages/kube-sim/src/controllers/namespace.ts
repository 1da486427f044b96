import { meta } from '../api/types';
import { StoreEvent } from '../store/store';
import { Controller, ControllerContext } from './manager';

/**
 * Namespace lifecycle: a deleted namespace stays Terminating while its
 * contents are deleted, then disappears. Also keeps a `default`
 * ServiceAccount in every active namespace, as the token controller does.
 */
export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly watches = {
    '/namespaces': (e: StoreEvent) => [String(meta(e.object).name)],
    '*': (e: StoreEvent) => {
      const ns = meta(e.object).namespace;
      if (!ns) return [];
      if (
        e.type === 'DELETED' ||
        (e.key === '/serviceaccounts' && meta(e.object).name === 'default')
      )
        return [ns];
      return [];
    },
  };

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list('/namespaces').map(n => String(meta(n).name));
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const nsType = ctx.type('', 'namespaces');
    const ns = ctx.api.tryGet(nsType, '', name);
    if (!ns) return;
    if (!meta(ns).deletionTimestamp) {
      const saType = ctx.type('', 'serviceaccounts');
      if (!ctx.api.tryGet(saType, name, 'default')) {
        try {
          ctx.api.create(
            saType,
            name,
            {
              apiVersion: 'v1',
              kind: 'ServiceAccount',
              metadata: { name: 'default', namespace: name },
            },
            { fieldManager: 'kube-controller-manager' },
          );
        } catch {
          // raced with a terminating namespace
        }
      }
      return;
    }
    let remaining = 0;
    const seen = new Set<string>();
    for (const t of ctx.api.registry.all()) {
      if (!t.namespaced || seen.has(t.storageKey)) continue;
      seen.add(t.storageKey);
      for (const o of ctx.api.store.list(t.storageKey, name)) {
        remaining++;
        if (meta(o).deletionTimestamp) continue;
        try {
          ctx.api.delete(
            t,
            name,
            meta(o).name!,
            { propagationPolicy: 'Background' },
            {},
          );
        } catch {
          // already gone
        }
      }
    }
    const left = [...seen].reduce(
      (s, k) => s + ctx.api.store.count(k, name),
      0,
    );
    if (left === 0) ctx.api.finalizeNamespace(name);
    else if (remaining > 0) ctx.enqueue(this.name, name, 100);
  }
}
