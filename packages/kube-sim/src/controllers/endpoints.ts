import { KubeObject, meta } from '../api/types';
import { matchesLabels, selectorFromSpec } from '../selectors/label-selector';
import { StoreEvent } from '../store/store';
import { deepEqual, isObject, JsonObject } from '../util/objects';
import { Controller, ControllerContext } from './manager';
import { isPodReady, keyOf, MANAGER, ownerReference, splitKey } from './util';
import { fnv32a, safeEncode } from '../util/random';

function resolveTargetPort(
  port: JsonObject,
  pods: KubeObject[],
): number | undefined {
  const tp = port.targetPort ?? port.port;
  if (typeof tp === 'number') return tp;
  for (const p of pods) {
    for (const c of ((p.spec as JsonObject)?.containers ??
      []) as JsonObject[]) {
      for (const cp of (c.ports ?? []) as JsonObject[])
        if (cp.name === tp) return Number(cp.containerPort);
    }
  }
  if (typeof tp === 'string' && /^\d+$/.test(tp)) return Number(tp);
  return undefined;
}

/** Maintains an Endpoints object per Service with a selector, from the pods it selects. */
export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  readonly watches = {
    '/services': (e: StoreEvent) => [keyOf(e.object)],
    '/pods': (e: StoreEvent) => {
      const ns = meta(e.object).namespace!;
      return this.servicesIn(ns, e);
    },
  };

  private api?: ControllerContext['api'];

  private servicesIn(ns: string, e: StoreEvent): string[] {
    if (!this.api) return [];
    const labelsNow = meta(e.object).labels;
    const labelsOld = e.old ? meta(e.old).labels : undefined;
    return this.api.store
      .list('/services', ns)
      .filter(s => {
        const sel = (s.spec as JsonObject | undefined)?.selector;
        if (!isObject(sel)) return false;
        const req =
          selectorFromSpec({ matchLabels: sel as Record<string, string> }) ??
          [];
        return (
          matchesLabels(req, labelsNow) ||
          (labelsOld !== undefined && matchesLabels(req, labelsOld))
        );
      })
      .map(keyOf);
  }

  initialKeys(ctx: ControllerContext): string[] {
    this.api = ctx.api;
    return ctx.api.store.list('/services').map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const svc = ctx.api.tryGet(ctx.type('', 'services'), namespace, name);
    const epType = ctx.type('', 'endpoints');
    const existing = ctx.api.tryGet(epType, namespace, name);
    const sel = svc ? (svc.spec as JsonObject).selector : undefined;
    if (!svc || !isObject(sel)) {
      if (
        existing &&
        !svc &&
        meta(existing).labels?.['endpoints.kubernetes.io/managed-by'] ===
          'endpoint-controller'
      ) {
        ctx.api.delete(epType, namespace, name, {}, {});
      }
      return;
    }
    const req =
      selectorFromSpec({ matchLabels: sel as Record<string, string> }) ?? [];
    const pods = ctx.api.store
      .list('/pods', namespace)
      .filter(
        p =>
          matchesLabels(req, meta(p).labels) &&
          !meta(p).deletionTimestamp &&
          (p.status as JsonObject | undefined)?.podIP,
      );
    const addr = (p: KubeObject) => ({
      ip: (p.status as JsonObject).podIP,
      nodeName: (p.spec as JsonObject).nodeName,
      targetRef: {
        kind: 'Pod',
        namespace,
        name: meta(p).name,
        uid: meta(p).uid,
      },
    });
    const ready = pods.filter(isPodReady).map(addr);
    const notReady = pods.filter(p => !isPodReady(p)).map(addr);
    const ports = (((svc.spec as JsonObject).ports ?? []) as JsonObject[])
      .map(p => {
        const port = resolveTargetPort(p, pods);
        if (port === undefined) return undefined;
        const out: JsonObject = { port, protocol: p.protocol ?? 'TCP' };
        if (p.name) out.name = p.name;
        if (p.appProtocol) out.appProtocol = p.appProtocol;
        return out;
      })
      .filter((p): p is JsonObject => !!p);
    const subsets: JsonObject[] = [];
    if (ready.length || notReady.length) {
      const sub: JsonObject = {};
      if (ready.length) sub.addresses = ready;
      if (notReady.length) sub.notReadyAddresses = notReady;
      sub.ports = ports;
      subsets.push(sub);
    }
    const labels = {
      ...(meta(svc).labels ?? {}),
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    };
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace, labels },
      ...(subsets.length ? { subsets } : {}),
    };
    this.writeSlice(svc, pods, ports, ctx);
    if (!existing) {
      ctx.api.create(epType, namespace, body, { fieldManager: MANAGER });
      return;
    }
    if (
      deepEqual(existing.subsets, body.subsets) &&
      deepEqual(meta(existing).labels, labels)
    )
      return;
    const next = {
      ...existing,
      metadata: { ...meta(existing), labels },
    } as KubeObject;
    if (subsets.length) next.subsets = subsets;
    else delete next.subsets;
    ctx.api.update(epType, namespace, name, next, { fieldManager: MANAGER });
  }

  /** The discovery.k8s.io EndpointSlice of a service (one per service here), owned by the Service. */
  private writeSlice(
    svc: KubeObject,
    pods: KubeObject[],
    ports: JsonObject[],
    ctx: ControllerContext,
  ): void {
    const sliceType = ctx.api.registry.find(
      'discovery.k8s.io',
      'v1',
      'endpointslices',
    );
    if (!sliceType) return;
    const m = meta(svc);
    const name = `${m.name}-${safeEncode(fnv32a(m.uid ?? '')).slice(0, 5)}`;
    const endpoints = pods.map(p => ({
      addresses: [(p.status as JsonObject).podIP],
      conditions: {
        ready: isPodReady(p),
        serving: isPodReady(p),
        terminating: false,
      },
      nodeName: (p.spec as JsonObject).nodeName,
      targetRef: {
        kind: 'Pod',
        namespace: m.namespace,
        name: meta(p).name,
        uid: meta(p).uid,
      },
    }));
    const labels = {
      ...(m.labels ?? {}),
      'endpointslice.kubernetes.io/managed-by':
        'endpointslice-controller.k8s.io',
      'kubernetes.io/service-name': m.name!,
    };
    const existing = ctx.api.tryGet(sliceType, m.namespace!, name);
    if (
      existing &&
      deepEqual(existing.endpoints, endpoints) &&
      deepEqual(existing.ports, ports) &&
      deepEqual(meta(existing).labels, labels)
    )
      return;
    const body: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        ...(existing ? meta(existing) : {}),
        name,
        namespace: m.namespace,
        labels,
        ownerReferences: [{ ...ownerReference(svc), blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints,
      ports,
    };
    if (existing)
      ctx.api.update(sliceType, m.namespace!, name, body, {
        fieldManager: MANAGER,
      });
    else
      ctx.api.create(sliceType, m.namespace!, body, { fieldManager: MANAGER });
  }
}
