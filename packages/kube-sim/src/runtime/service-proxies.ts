import { createServer, connect, Server, Socket, AddressInfo } from 'node:net';
import { KubeObject, meta } from '../api/types';
import { Controller, ControllerContext } from '../controllers/manager';
import { isPodReady, keyOf, splitKey } from '../controllers/util';
import { matchesLabels, selectorFromSpec } from '../selectors/label-selector';
import { StoreEvent } from '../store/store';
import { isObject, JsonObject } from '../util/objects';
import { ProxiedPort, resolvePins } from './cluster-dns';
import { delayStream } from './delay-stream';
import { LocalProcessRuntime } from './local';
import { ProxyLatency } from './proxy-latency';

/** Annotation prefix on a Service: `kube-sim.meshstage.io/loopback-<port>: 127.0.0.1:<proxy port>`. */
export const LOOPBACK_ANNOTATION = 'kube-sim.meshstage.io/loopback-';

interface Proxy {
  server: Server;
  sockets: Set<Socket>;
  port: ProxiedPort;
  /** The Service port's targetPort (number or container port name). */
  target: number | string;
  next: number;
}

/** A ready local endpoint: its loopback port and what its simulated proxies add per request. */
interface Endpoint {
  port: number;
  latencyMs: number;
}

function selectorOf(svc: KubeObject) {
  const sel = (svc.spec as JsonObject | undefined)?.selector;
  return isObject(sel)
    ? selectorFromSpec({ matchLabels: sel as Record<string, string> }) ?? []
    : undefined;
}

/**
 * Opens a loopback TCP proxy for every Service port that selects pods run
 * as local processes, spreading connections round robin over the ready ones
 * (no ready endpoint: the connection is closed, as with no endpoints), and
 * publishes it as an annotation on the Service. The pins of these proxies
 * are what local pods get in `MESHPERF_RESOLVE`. A pod whose simulated
 * proxies have a configured latency ({@link ProxyLatency}) gets every chunk
 * sent to it that much later.
 */
export class ServiceProxyController implements Controller {
  readonly name = 'service-proxies';
  private readonly proxies = new Map<string, Proxy>();
  private ctx?: ControllerContext;
  readonly watches = {
    '/services': (e: StoreEvent) => [keyOf(e.object)],
    '/pods': (e: StoreEvent) => this.servicesIn(meta(e.object).namespace!),
  };

  constructor(
    private readonly runtime: LocalProcessRuntime,
    private readonly host = '127.0.0.1',
    private readonly latency = new ProxyLatency(),
  ) {}

  private servicesIn(ns: string): string[] {
    return this.ctx ? this.ctx.api.store.list('/services', ns).map(keyOf) : [];
  }

  /** Called by the runtime when a namespace's local ports change. */
  portsChanged(ns: string): void {
    for (const k of this.servicesIn(ns)) this.ctx?.enqueue(this.name, k);
  }

  /** Pins for a pod in `namespace`: every proxied Service port under each of its names. */
  pins(namespace: string): string[] {
    // a proxy still binding has no port to pin yet
    return resolvePins(
      [...this.proxies.values()].map(p => p.port).filter(p => p.proxyPort > 0),
      namespace,
    );
  }

  initialKeys(ctx: ControllerContext): string[] {
    this.ctx = ctx;
    return ctx.api.store.list('/services').map(keyOf);
  }

  stop(): void {
    for (const key of [...this.proxies.keys()]) this.closeProxy(key);
  }

  /** Local endpoints of a Service port (ready ones only, or all). */
  private endpoints(
    svc: KubeObject,
    target: number | string,
    readyOnly: boolean,
  ): Endpoint[] {
    const req = selectorOf(svc);
    if (!req || !this.ctx) return [];
    const ns = meta(svc).namespace!;
    const out: Endpoint[] = [];
    for (const p of this.ctx.api.store.list('/pods', ns)) {
      const pm = meta(p);
      if (!matchesLabels(req, pm.labels) || pm.deletionTimestamp) continue;
      if (readyOnly && !isPodReady(p)) continue;
      const port = this.runtime.endpointPort(ns, pm.name!, pm.uid!, target);
      if (port !== undefined) {
        out.push({ port, latencyMs: this.latency.forPod(p) });
      }
    }
    return out;
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const type = ctx.type('', 'services');
    const svc = ctx.api.tryGet(type, namespace, name);
    const want = new Map<number, number | string>();
    if (svc && !meta(svc).deletionTimestamp) {
      for (const p of ((svc.spec as JsonObject).ports ?? []) as JsonObject[]) {
        if ((p.protocol ?? 'TCP') !== 'TCP') continue;
        const target = (p.targetPort ?? p.port) as number | string;
        if (this.endpoints(svc, target, false).length)
          want.set(Number(p.port), target);
      }
    }
    for (const [k, proxy] of [...this.proxies])
      if (
        k.startsWith(`${key}:`) &&
        (!want.has(proxy.port.port) ||
          want.get(proxy.port.port) !== proxy.target)
      )
        this.closeProxy(k);
    for (const [port, target] of want) {
      const k = `${key}:${port}`;
      if (!this.proxies.has(k)) this.openProxy(k, svc!, port, target);
    }
    if (svc) this.publish(svc, ctx);
  }

  private openProxy(
    k: string,
    svc: KubeObject,
    port: number,
    target: number | string,
  ): void {
    const m = meta(svc);
    const server = createServer();
    const proxy: Proxy = {
      server,
      sockets: new Set(),
      target,
      next: 0,
      port: {
        namespace: m.namespace!,
        service: m.name!,
        clusterIP: (svc.spec as JsonObject).clusterIP as string | undefined,
        port,
        address: this.host,
        proxyPort: 0,
      },
    };
    server.on('connection', client => {
      const { namespace, name } = splitKey(k.slice(0, k.lastIndexOf(':')));
      const current = this.ctx?.api.store.get('/services', namespace, name);
      const ends = current ? this.endpoints(current, target, true) : [];
      if (!ends.length) {
        client.destroy();
        return;
      }
      const end = ends[proxy.next++ % ends.length];
      const up = connect(end.port, '127.0.0.1');
      // The pod's (simulated) sidecar sits on its inbound path: requests reach it late.
      const delay = end.latencyMs > 0 ? delayStream(end.latencyMs) : undefined;
      for (const s of [client, up]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          up.destroy();
          delay?.destroy();
        });
      }
      if (delay) client.pipe(delay).pipe(up);
      else client.pipe(up);
      up.pipe(client);
    });
    // listen() on loopback with port 0 binds synchronously enough for address();
    // publish once it is known.
    server.listen(0, this.host, () => {
      proxy.port.proxyPort = (server.address() as AddressInfo).port;
      if (this.ctx && this.proxies.get(k) === proxy) {
        const key = k.slice(0, k.lastIndexOf(':'));
        this.ctx.enqueue(this.name, key);
      }
    });
    this.proxies.set(k, proxy);
  }

  private closeProxy(k: string): void {
    const p = this.proxies.get(k);
    if (!p) return;
    this.proxies.delete(k);
    p.server.close();
    for (const s of p.sockets) s.destroy();
  }

  /** Keeps the Service's loopback annotations equal to its open proxies. */
  private publish(svc: KubeObject, ctx: ControllerContext): void {
    const m = meta(svc);
    const key = keyOf(svc);
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.annotations ?? {}))
      if (!k.startsWith(LOOPBACK_ANNOTATION)) annotations[k] = v;
    for (const [k, p] of this.proxies)
      if (k.startsWith(`${key}:`) && p.port.proxyPort)
        annotations[
          `${LOOPBACK_ANNOTATION}${p.port.port}`
        ] = `${p.port.address}:${p.port.proxyPort}`;
    const sorted = (a: Record<string, string>) =>
      JSON.stringify(Object.entries(a).sort());
    if (sorted(m.annotations ?? {}) === sorted(annotations)) return;
    const next = { ...svc, metadata: { ...m, annotations } } as KubeObject;
    if (!Object.keys(annotations).length)
      delete (next.metadata as JsonObject).annotations;
    ctx.api.update(ctx.type('', 'services'), m.namespace!, m.name!, next, {
      fieldManager: 'kube-sim',
    });
  }
}
