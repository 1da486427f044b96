import {
  createServer as createHttpServer,
  Server as HttpServer,
} from 'node:http';
import {
  createServer as createHttpsServer,
  Server as HttpsServer,
} from 'node:https';
import { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CrdFinalizer } from './admission/crd-finalizer';
import { ServiceIpAllocation } from './admission/service-ips';
import { ObjectApi } from './api/object-api';
import { OpenApiCache } from './api/openapi';
import { Registry } from './api/registry';
import { bootstrap } from './bootstrap';
import { Allocators } from './controllers/allocators';
import { CrdController } from './controllers/crd';
import { DaemonSetController } from './controllers/daemonset';
import { DeploymentController } from './controllers/deployment';
import { EndpointsController } from './controllers/endpoints';
import { EventRecorder } from './controllers/events';
import { GarbageCollector } from './controllers/gc';
import { SidecarInjection } from './controllers/injection/admission';
import { JobController } from './controllers/job';
import { KubeletController } from './controllers/kubelet';
import { ControllerManager } from './controllers/manager';
import { NamespaceController } from './controllers/namespace';
import { ReplicaSetController } from './controllers/replicaset';
import { StatefulSetController } from './controllers/statefulset';
import { renderKubeconfig } from './kubeconfig';
import { LocalProcessRuntime } from './runtime/local';
import type { LocalImages } from './runtime/local-images';
import { LogStore } from './runtime/logs';
import { ProxyLatency } from './runtime/proxy-latency';
import { RuntimeRegistry } from './runtime/runtime';
import { ServiceProxyController } from './runtime/service-proxies';
import { SimulatedRuntime } from './runtime/simulated';
import { applySeed } from './seed';
import { createRequestHandler } from './server/http-server';
import { WatchRegistry } from './server/watch';
import { readState, StateWriter } from './store/persistence';
import { Store } from './store/store';
import { caPathFor, servingTls } from './tls/serving';
import { faultControl, type KubeSimFaults } from './faults/control';
import { FaultLayer } from './faults/http';
import { FaultInjector } from './faults/injector';
import { type FaultSpec, parseFaultSpec } from './faults/spec';

/** Options of {@link startKubeSim}. */
export interface KubeSimOptions {
  /** Port to listen on; 0 (default) picks a free port. */
  port?: number;
  /** Address to listen on, default 127.0.0.1. */
  host?: string;
  /** Bearer token clients must send; random by default. Requests without it get a 401 Status. */
  token?: string;
  /**
   * YAML files or directories (recursively, *.yaml / *.yml, sorted by path)
   * applied at start when the state is empty. Namespaces and CRDs first.
   */
  seed?: string[];
  /** JSON state file: loaded at start if present, written (debounced, atomically) after changes and on close. */
  statePath?: string;
  /** Version reported by /version (default v1.31.4); kubectl's dispatcher picks its binary from it. */
  gitVersion?: string;
  /** Run the controllers (default true). */
  controllers?: boolean;
  /** Request and controller log lines; silent by default. */
  log?: (line: string) => void;
  /**
   * Serve HTTPS with a generated CA, as a real API server does (default
   * false: plain http). The CA is kept in `<statePath>.tls.json` when
   * `statePath` is set, so restarts keep it and old kubeconfigs stay valid.
   */
  tls?: boolean;
  /**
   * Images whose pods run as local child processes instead of being
   * simulated, keyed by repository (tags ignored), e.g.
   * `{ 'meshstage/loadgen': { command: [process.execPath, '/abs/packages/loadgen/bin/meshperf'] } }`.
   * Their Services get loopback proxies. See the README, "Local processes".
   */
  localImages?: LocalImages;
  /**
   * Milliseconds that simulated mesh proxies add to every request a Service's loopback proxy
   * sends to their pod, keyed by the proxy's image (`proxyv2:1.30.3` matches
   * `docker.io/istio/proxyv2:1.30.3`), e.g. to make one Istio revision's proxies slower than
   * another's in a benchmark. Only traffic through the loopback proxies of `localImages`
   * Services is delayed. Change it later with {@link KubeSim.setProxyLatency}.
   */
  proxyLatencyMs?: Record<string, number>;
  /**
   * Faults to inject from the start, in the `--faults` language (e.g.
   * `error500=0.1,verbs=patch;throttle429=0.05:retryAfter=1;seed=42`); see the README, "Faults".
   * A bad spec rejects with a {@link FaultSpecError}. Change them later with {@link KubeSim.faults}.
   */
  faults?: string;
}

/** Options of {@link KubeSim.restart}. */
export interface RestartOptions {
  /** How long connections are refused (default 1000 ms). */
  downMs?: number;
  /** Runs while the server is down (after every connection was cut); the server comes back once it settles and `downMs` has passed. */
  whileDown?: () => Promise<unknown> | unknown;
}

/** Tuning knobs for tests; not part of the public options. */
export interface KubeSimInternals {
  podStartDelayMs?: number;
  jobCompleteDelayMs?: number;
  bookmarkIntervalMs?: number;
  historySize?: number;
  /** First restart back-off of local processes (default 1000 ms). */
  restartBackoffMs?: number;
  /** On close, how long local processes get after SIGTERM before SIGKILL (default 5000 ms). */
  shutdownGraceMs?: number;
}

/** A running simulator. */
export interface KubeSim {
  /** Base URL, e.g. http://127.0.0.1:41234 (https:// with `tls`) */
  readonly url: string;
  readonly token: string;
  /** With `tls`: the CA certificate as base64 of its PEM (kubeconfig `certificate-authority-data`). */
  readonly caData?: string;
  /** Kubeconfig YAML for this simulator (context and cluster named `name`, default kube-sim). */
  kubeconfig(opts?: { name?: string }): string;
  writeKubeconfig(path: string, opts?: { name?: string }): Promise<void>;
  /**
   * Sets what the simulated proxies of an image add to each request they receive (see
   * {@link KubeSimOptions.proxyLatencyMs}); 0 removes it. Applies to connections opened after.
   */
  setProxyLatency(image: string, ms: number): void;
  /** Fault injection: rules, one-off failures, watch drops, and what was injected. */
  readonly faults: KubeSimFaults;
  /**
   * Restarts the API server as a real one restarts: every connection is cut (requests in flight,
   * watches, log streams), connections are refused for a moment, then it listens again on the same
   * address with the same objects. resourceVersions continue; the watch history does not survive,
   * so a watch resumed from a version older than the one current at the restart gets 410 Expired
   * (clients relist), one resumed from the current version continues. Controllers keep running.
   */
  restart(options?: RestartOptions): Promise<void>;
  /** Stops controllers, ends open watches, flushes state and closes the server. */
  close(): Promise<void>;
}

/** A running simulator with access to its internals (tests). */
export interface KubeSimInstance extends KubeSim {
  readonly api: ObjectApi;
  readonly controllers?: ControllerManager;
  /** Resolves when no reconcile is queued. */
  settled(): Promise<void>;
  /** Ends all open watch streams (clients reconnect), as an API server restart would. */
  closeWatches(): void;
  /** Pids of the local processes running now (with `localImages`). */
  localPids(): number[];
}

/**
 * Starts a simulated Kubernetes API server on loopback that real kubectl and
 * @kubernetes/client-node can talk to.
 */
export function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  return startKubeSimInstance(options);
}

/** {@link startKubeSim} with tuning knobs and access to internals (tests, embedding). */
export async function startKubeSimInstance(
  options: KubeSimOptions = {},
  internals: KubeSimInternals = {},
): Promise<KubeSimInstance> {
  const log = options.log ?? (() => {});
  const gitVersion = options.gitVersion ?? 'v1.31.4';
  const token = options.token ?? randomBytes(24).toString('hex');
  const store = new Store(internals.historySize ?? 10000);
  const registry = new Registry();
  const api = new ObjectApi(store, registry);
  const state = options.statePath ? readState(options.statePath) : undefined;
  const allocators = new Allocators({ ...(state?.counters ?? {}) });

  // CRDs in the store define served types; keep the registry in step synchronously
  const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';
  store.subscribe(e => {
    if (e.key === CRD_KEY) registry.setCrds(store.list(CRD_KEY));
  });

  api.addAdmission(new ServiceIpAllocation(allocators));
  api.addAdmission(new CrdFinalizer());
  api.addAdmission(new SidecarInjection());

  if (state) {
    store.load({ resourceVersion: state.resourceVersion, items: state.items });
    registry.setCrds(store.list(CRD_KEY));
    log(
      `state: loaded ${state.items.length} objects from ${options.statePath}`,
    );
  }
  bootstrap(api, gitVersion);

  const proxyLatency = new ProxyLatency(options.proxyLatencyMs);
  const logs = new LogStore();
  const watches = new WatchRegistry();
  const events = new EventRecorder(api);
  let manager: ControllerManager | undefined;
  let localRuntime: LocalProcessRuntime | undefined;
  if (options.controllers !== false) {
    manager = new ControllerManager(api, events, allocators, log);
    const runtimes = new RuntimeRegistry(
      new SimulatedRuntime({
        startDelayMs: internals.podStartDelayMs ?? 200,
        completeDelayMs: internals.jobCompleteDelayMs ?? 500,
      }),
    );
    manager.add(new CrdController());
    manager.add(new NamespaceController());
    manager.add(new GarbageCollector());
    manager.add(new DeploymentController());
    manager.add(new ReplicaSetController());
    manager.add(new StatefulSetController());
    manager.add(new DaemonSetController());
    manager.add(new JobController());
    manager.add(new EndpointsController());
    if (options.localImages && Object.keys(options.localImages).length) {
      // The runtime and the Service proxies need each other: pins come from
      // the proxies, and the proxies follow the runtime's ports.
      let proxies: ServiceProxyController | undefined = undefined;
      localRuntime = new LocalProcessRuntime({
        images: options.localImages,
        lookup: (ns, kind, name) => store.get(`/${kind}`, ns, name),
        pins: ns => proxies?.pins(ns) ?? [],
        onPortsChanged: ns => proxies?.portsChanged(ns),
        backoffMs: internals.restartBackoffMs,
        log,
      });
      const local = localRuntime;
      proxies = new ServiceProxyController(local, undefined, proxyLatency);
      runtimes.register(image => local.handles(image), local);
      manager.add(proxies);
    }
    manager.add(new KubeletController(runtimes, logs));
    manager.start();
  }

  if (!state && options.seed?.length) {
    const problems = applySeed(api, options.seed, log);
    for (const p of problems) log(`seed: ${p}`);
  }

  let writer: StateWriter | undefined;
  if (options.statePath) {
    const path = options.statePath;
    writer = new StateWriter(
      path,
      () => ({
        version: 1,
        ...store.snapshot(),
        counters: allocators.counters,
      }),
      250,
      e => log(`state: write failed: ${String(e)}`),
    );
    store.subscribe(() => writer!.markDirty());
    writer.markDirty();
  }

  const initialFaults: FaultSpec = options.faults
    ? parseFaultSpec(options.faults)
    : { rules: [] };
  const injector = new FaultInjector(initialFaults);
  const faultLayer = new FaultLayer(injector, {
    kindOf: t =>
      t.resource !== undefined
        ? registry.find(t.group ?? '', t.version ?? '', t.resource)?.kind
        : undefined,
    log,
  });

  let url = '';
  const handler = createRequestHandler({
    api,
    registry,
    openapi: new OpenApiCache(registry),
    logs,
    watches,
    token,
    // the impersonation hack is only for kubectl over plain http
    acceptImpersonatedToken: !options.tls,
    gitVersion,
    serverAddress: () => url.replace(/^https?:\/\//, ''),
    log,
    now: Date.now,
    bookmarkIntervalMs: internals.bookmarkIntervalMs ?? 10000,
    faults: faultLayer,
  });
  const listenHost = options.host ?? '127.0.0.1';
  const tls = options.tls
    ? servingTls({
        hosts: ['127.0.0.1', 'localhost', listenHost],
        caPath: options.statePath ? caPathFor(options.statePath) : undefined,
        log,
      })
    : undefined;
  const server: HttpServer | HttpsServer = tls
    ? createHttpsServer(
        { key: tls.keyPem, cert: tls.certPem, keepAliveTimeout: 30000 },
        handler,
      )
    : createHttpServer({ keepAliveTimeout: 30000 }, handler);
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  url = `${tls ? 'https' : 'http'}://${host}:${addr.port}`;
  log(`listening on ${url}`);

  let closed = false;
  let restarting: Promise<void> | undefined;
  const restart = async (opts: RestartOptions = {}): Promise<void> => {
    if (closed) throw new Error('kube-sim is closed');
    if (restarting) {
      await restarting;
      return;
    }
    restarting = (async () => {
      log('restart: cutting every connection');
      const stopped = new Promise<void>(resolve =>
        server.close(() => resolve()),
      );
      server.closeAllConnections();
      watches.closeAll();
      logs.closeAll();
      faultLayer.close();
      await stopped;
      // The new server's watch cache starts at the current resourceVersion.
      store.compact();
      await Promise.all([
        new Promise(r => setTimeout(r, opts.downMs ?? 1000)),
        opts.whileDown?.(),
      ]);
      if (closed) return;
      await listen(addr.port);
      log(`restart: listening on ${url} again`);
    })();
    try {
      await restarting;
    } finally {
      restarting = undefined;
    }
  };
  let restartTimer: ReturnType<typeof setInterval> | undefined;
  const scheduleRestarts = (schedule: FaultSpec['restart']) => {
    clearInterval(restartTimer);
    restartTimer = undefined;
    if (!schedule) return;
    restartTimer = setInterval(() => {
      restart({ downMs: schedule.downMs }).catch(e =>
        log(`restart failed: ${String(e)}`),
      );
    }, schedule.everyMs);
  };
  scheduleRestarts(initialFaults.restart);
  const faults = faultControl(injector, faultLayer, scheduleRestarts);
  if (injector.active || initialFaults.restart)
    log(`faults: ${options.faults} (seed ${injector.seed})`);
  const caData = tls && Buffer.from(tls.caPem).toString('base64');
  const kubeconfig = (opts?: { name?: string }) =>
    renderKubeconfig(url, token, opts?.name, caData || undefined);
  return {
    url,
    token,
    caData: caData || undefined,
    api,
    controllers: manager,
    kubeconfig,
    async writeKubeconfig(path, opts) {
      await fs.mkdir(dirname(path), { recursive: true });
      await fs.writeFile(path, kubeconfig(opts), { mode: 0o600 });
    },
    setProxyLatency(image, ms) {
      proxyLatency.set(image, ms);
    },
    faults,
    restart,
    closeWatches() {
      watches.closeAll();
    },
    localPids() {
      return localRuntime?.supervisor.pids ?? [];
    },
    async settled() {
      for (let i = 0; i < 2000; i++) {
        if (!manager || manager.idle) {
          await new Promise(r => setImmediate(r));
          if (!manager || manager.idle) return;
        }
        await new Promise(r => setTimeout(r, 5));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(restartTimer);
      await restarting?.catch(() => undefined);
      faultLayer.close();
      manager?.stop();
      // no orphans: every local process is gone before close resolves
      await localRuntime?.shutdown(internals.shutdownGraceMs ?? 5000);
      watches.closeAll();
      logs.closeAll();
      await writer?.flush();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
