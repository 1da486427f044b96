import { connect } from 'node:net';
import { KubeObject, meta } from '../api/types';
import { JsonObject } from '../util/objects';
import {
  containerEnv,
  expandVars,
  ObjectLookup,
  processEnv,
} from './container-env';
import { containerArgv, LocalImages, matchLocalImage } from './local-images';
import { freeLoopbackPort } from './ports';
import { LocalProcess, ProcessSupervisor } from './processes';
import { PodRuntime, RunningPod, RuntimeCallbacks } from './runtime';

/** True when a loopback port accepts a TCP connection. */
function accepts(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = connect(port, '127.0.0.1');
    const done = (up: boolean) => {
      s.destroy();
      resolve(up);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Options of {@link LocalProcessRuntime}. */
export interface LocalRuntimeOptions {
  images: LocalImages;
  /** Reads a ConfigMap or Secret of a namespace (env, envFrom). */
  lookup(
    namespace: string,
    ...rest: Parameters<ObjectLookup>
  ): KubeObject | undefined;
  /** `--resolve` pins for the Services a pod in `namespace` can reach locally. */
  pins(namespace: string): string[];
  /** The local ports of a namespace's pods changed (Service proxies follow). */
  onPortsChanged(namespace: string): void;
  /** Delay before the first restart; doubles per restart up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Base environment (default process.env); only a few variables are inherited. */
  baseEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

type Container = JsonObject & {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort: number; name?: string; protocol?: string }[];
};

/** A pod with local processes: the loopback port of each declared container port. */
interface LocalPod {
  uid: string;
  /** containerPort → loopback port */
  ports: Map<number, number>;
  /** port name → containerPort */
  names: Map<string, number>;
}

/**
 * Runs the containers whose image is configured in `images` as local child
 * processes (see README, "Local processes"); other containers of the same
 * pod (injected sidecars) are simulated. Each declared TCP containerPort
 * gets a free loopback port, told to the process through `PORT` and
 * `KUBE_SIM_PORT_MAP`; a container is ready once all its ports accept
 * connections (at once if it declares none). Exits follow the pod's
 * restartPolicy, with a doubling back-off.
 */
export class LocalProcessRuntime implements PodRuntime {
  readonly name = 'local';
  readonly supervisor = new ProcessSupervisor();
  private readonly pods = new Map<string, LocalPod>();

  constructor(private readonly opts: LocalRuntimeOptions) {}

  /** True when a pod has a container this runtime runs as a process. */
  handles(image: string): boolean {
    return !!matchLocalImage(this.opts.images, image);
  }

  /** The loopback port serving a pod's `target` port (number or port name), when it runs locally. */
  endpointPort(
    namespace: string,
    name: string,
    uid: string,
    target: number | string,
  ): number | undefined {
    const p = this.pods.get(`${namespace}/${name}`);
    if (!p || p.uid !== uid) return undefined;
    const containerPort =
      typeof target === 'number'
        ? target
        : p.names.get(target) ?? Number(target);
    return p.ports.get(containerPort);
  }

  /** Ends every process (SIGKILL after `graceMs`); resolves when all are gone. */
  shutdown(graceMs: number): Promise<void> {
    return this.supervisor.shutdown(graceMs);
  }

  start(pod: KubeObject, cb: RuntimeCallbacks): RunningPod {
    const m = meta(pod);
    const ns = m.namespace!;
    const key = `${ns}/${m.name}`;
    const spec = (pod.spec ?? {}) as JsonObject;
    const containers = (spec.containers ?? []) as Container[];
    const inits = (spec.initContainers ?? []) as Container[];
    const local = containers.filter(c => this.handles(c.image ?? ''));
    const simulated = containers.filter(c => !this.handles(c.image ?? ''));
    const policy = String(spec.restartPolicy ?? 'Always');
    const graceMs = Number(spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const record: LocalPod = {
      uid: m.uid!,
      ports: new Map(),
      names: new Map(),
    };
    const procs = new Map<string, LocalProcess>();
    const timers = new Set<NodeJS.Timeout>();
    const finished = new Set<string>();
    let stopped = false;
    const log = this.opts.log ?? (() => {});
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!stopped) fn();
      }, ms);
      timers.add(t);
    };

    const waitReady = (c: Container, proc: LocalProcess) => {
      const ports = (c.ports ?? [])
        .filter(p => (p.protocol ?? 'TCP') === 'TCP')
        .map(p => record.ports.get(Number(p.containerPort))!)
        .filter(Boolean);
      const check = () => {
        if (procs.get(c.name) !== proc) return;
        Promise.all(ports.map(accepts)).then(up => {
          if (procs.get(c.name) !== proc || stopped) return;
          if (up.every(Boolean)) cb.report({ ready: [c.name] });
          else later(100, check);
        });
      };
      check();
    };

    const launch = (c: Container, restarts: number) => {
      const image = matchLocalImage(this.opts.images, c.image)!;
      if (restarts > 0) cb.rotateLog?.(c.name);
      const own = containerEnv(pod, c, (kind, name) =>
        this.opts.lookup(ns, kind, name),
      );
      const env = processEnv(
        this.opts.baseEnv ?? process.env,
        image.env,
        own,
        pod,
        {
          ports: (c.ports ?? [])
            .filter(p => record.ports.has(Number(p.containerPort)))
            .map(p => [
              Number(p.containerPort),
              record.ports.get(Number(p.containerPort))!,
            ]),
          resolve: this.opts.pins(ns),
        },
      );
      const argv = containerArgv(image, c.command, c.args).map((w, i) =>
        i < image.command.length ? w : expandVars(w, own),
      );
      log(`runtime: ${key}/${c.name}: starting ${argv.join(' ')}`);
      const proc = this.supervisor.start(
        argv,
        { env, cwd: image.cwd },
        line => cb.log(c.name, line),
        exit => {
          if (procs.get(c.name) === proc) procs.delete(c.name);
          log(`runtime: ${key}/${c.name}: exited with ${exit.exitCode}`);
          if (stopped) return;
          const restart =
            policy === 'Always' ||
            (policy === 'OnFailure' && exit.exitCode !== 0);
          const exited = [
            {
              name: c.name,
              exitCode: exit.exitCode,
              reason: exit.exitCode === 0 ? 'Completed' : 'Error',
              restarting: restart,
            },
          ];
          if (!restart) finished.add(c.name);
          // Every process is done: the pod's simulated sidecars stop with it.
          if (finished.size === local.length)
            for (const s of simulated)
              exited.push({
                name: s.name,
                exitCode: 0,
                reason: 'Completed',
                restarting: false,
              });
          cb.report({ exited });
          if (restart) {
            const base = this.opts.backoffMs ?? 1000;
            const delay = Math.min(
              base * 2 ** restarts,
              this.opts.maxBackoffMs ?? 30_000,
            );
            later(delay, () => launch(c, restarts + 1));
          }
        },
      );
      procs.set(c.name, proc);
      if ((c.ports ?? []).length === 0) cb.report({ started: [c.name] });
      else {
        cb.report({ running: [c.name] });
        waitReady(c, proc);
      }
    };

    const run = async () => {
      for (const c of local)
        for (const p of c.ports ?? []) {
          const port = Number(p.containerPort);
          if (!record.ports.has(port))
            record.ports.set(port, await freeLoopbackPort());
          if (p.name) record.names.set(p.name, port);
        }
      if (stopped) return;
      this.pods.set(key, record);
      if (record.ports.size) this.opts.onPortsChanged(ns);
      if (inits.length)
        cb.report({
          exited: inits.map(c => ({
            name: c.name,
            exitCode: 0,
            reason: 'Completed',
          })),
        });
      if (simulated.length) cb.report({ started: simulated.map(c => c.name) });
      for (const c of local) launch(c, 0);
    };
    run().catch(e => log(`runtime: ${key}: ${String(e)}`));

    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const p of procs.values()) p.stop(graceMs);
        if (this.pods.get(key) === record) {
          this.pods.delete(key);
          if (record.ports.size) this.opts.onPortsChanged(ns);
        }
      },
    };
  }
}
