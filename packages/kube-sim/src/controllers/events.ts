import { ObjectApi } from '../api/object-api';
import { KubeObject, meta } from '../api/types';
import { nowTimestamp } from '../util/time';

/**
 * Records core/v1 Events about objects (what `kubectl describe` shows), as
 * controllers and the kubelet do. Keeps at most `cap` events, oldest removed.
 */
export class EventRecorder {
  private seq = 0;
  private readonly recent: { ns: string; name: string }[] = [];

  constructor(
    private readonly api: ObjectApi,
    private readonly cap = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  record(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    fieldPath?: string,
  ): void {
    const m = meta(obj);
    const ns = m.namespace || 'default';
    const ts = nowTimestamp(this.now());
    const name = `${m.name}.${(
      this.now() * 1000 +
      (this.seq++ % 1000)
    ).toString(16)}`;
    const t = this.api.registry.find('', 'v1', 'events');
    if (!t) return;
    const source: Record<string, string> = { component };
    if (component === 'kubelet') source.host = 'kube-sim';
    try {
      this.api.create(
        t,
        ns,
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: ns },
          involvedObject: {
            kind: obj.kind,
            namespace: m.namespace,
            name: m.name,
            uid: m.uid,
            apiVersion: obj.apiVersion,
            resourceVersion: m.resourceVersion,
            ...(fieldPath ? { fieldPath } : {}),
          },
          reason,
          message,
          source,
          firstTimestamp: ts,
          lastTimestamp: ts,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: component,
          reportingInstance: component === 'kubelet' ? 'kube-sim' : '',
        },
        { fieldManager: component, fieldValidation: 'Ignore' },
      );
    } catch {
      // namespace gone or terminating: events are best effort
      return;
    }
    this.recent.push({ ns, name });
    while (this.recent.length > this.cap) {
      const old = this.recent.shift()!;
      try {
        this.api.delete(t, old.ns, old.name, {}, {});
      } catch {
        // already gone
      }
    }
  }
}
