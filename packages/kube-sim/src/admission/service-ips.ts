import { AdmissionPlugin, ObjectApi } from '../api/object-api';
import { KubeObject, ResourceType } from '../api/types';
import { Allocators } from '../controllers/allocators';
import { isObject, JsonObject } from '../util/objects';

/** Allocates Service cluster IPs (10.96.x.y) and node ports on create; keeps them on update. */
export class ServiceIpAllocation implements AdmissionPlugin {
  constructor(private readonly allocators: Allocators) {}

  admit(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    api: ObjectApi,
  ): void {
    if (type.storageKey !== '/services') return;
    const spec = (
      isObject(obj.spec) ? obj.spec : (obj.spec = {})
    ) as JsonObject;
    const oldSpec = (old?.spec ?? {}) as JsonObject;
    if (spec.type === 'ExternalName') return;
    const services = () => api.store.list('/services');
    if (!spec.clusterIP && oldSpec.clusterIP)
      spec.clusterIP = oldSpec.clusterIP;
    if (!spec.clusterIP) {
      spec.clusterIP = this.allocators.clusterIP(ip =>
        services().some(s => (s.spec as JsonObject)?.clusterIP === ip),
      );
    }
    if (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0)
      spec.clusterIPs = [spec.clusterIP];
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      const oldPorts = (oldSpec.ports ?? []) as JsonObject[];
      const used = (p: number) =>
        services().some(s =>
          (((s.spec as JsonObject)?.ports ?? []) as JsonObject[]).some(
            x => x.nodePort === p,
          ),
        );
      for (const p of (spec.ports ?? []) as JsonObject[]) {
        if (!isObject(p) || p.nodePort) continue;
        const prev = oldPorts.find(
          o =>
            o.port === p.port &&
            (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
        );
        p.nodePort = prev?.nodePort ?? this.allocators.nodePort(used);
      }
    }
  }
}
