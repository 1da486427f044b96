import type { Analyzer, Snapshot } from '@meshstage/plugin-mesh-node';
import { createSnapshot } from '@meshstage/plugin-mesh-node';

/**
 * Namespaces istioctl drops from everything it analyzes (Kubernetes' own, and kind's storage):
 * their objects are neither reported on nor referenced (a Service there defines no host).
 */
export const ISTIO_IGNORED_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
]);

const views = new WeakMap<Snapshot, Snapshot>();

/** The snapshot as istioctl sees it: without the ignored namespaces (the same object when none). */
export function istioView(snapshot: Snapshot): Snapshot {
  let view = views.get(snapshot);
  if (!view) {
    const ignored = (o: Snapshot['objects'][number]) =>
      ISTIO_IGNORED_NAMESPACES.has(
        o.kind === 'Namespace' && o.apiVersion === 'v1'
          ? o.metadata.name
          : o.metadata.namespace ?? '',
      );
    view = snapshot.objects.some(ignored)
      ? createSnapshot(snapshot.objects.filter(o => !ignored(o)))
      : snapshot;
    views.set(snapshot, view);
  }
  return view;
}

/** An Istio analyzer that sees the snapshot as istioctl does (see {@link istioView}). */
export function withIstioView(analyzer: Analyzer): Analyzer {
  return {
    ...analyzer,
    analyze: (snapshot, ctx) => analyzer.analyze(istioView(snapshot), ctx),
  };
}
