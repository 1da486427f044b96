import { createHash } from 'node:crypto';
import { KubeObject, meta } from '../api/types';
import { NODE_IP, NODE_NAME } from '../bootstrap';
import { LogStore } from '../runtime/logs';
import { RunningPod, RuntimeRegistry, RuntimeReport } from '../runtime/runtime';
import { clone, deepEqual, isObject, JsonObject } from '../util/objects';
import { nowTimestamp } from '../util/time';
import { Controller, ControllerContext } from './manager';
import { keyOf, setCondition, splitKey } from './util';

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function imageRef(image: string): string {
  const full = image.includes('/') ? image : `docker.io/library/${image}`;
  return `${full.split(':')[0].split('@')[0]}@sha256:${sha(image)}`;
}

type Container = { name: string; image?: string };

/**
 * The scheduler and the node agent of the single node `kube-sim`: binds new
 * pods, starts them through their runtime and turns runtime reports into pod
 * status (phases, conditions, container states) and kubelet events.
 */
export class KubeletController implements Controller {
  readonly name = 'kubelet';
  private readonly running = new Map<
    string,
    { uid: string; handle: RunningPod }
  >();
  readonly watches = {
    '/pods': (e: { object: KubeObject }) => [keyOf(e.object)],
  };

  constructor(
    private readonly runtimes: RuntimeRegistry,
    private readonly logs: LogStore,
  ) {}

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list('/pods').map(keyOf);
  }

  stop(): void {
    for (const r of this.running.values()) r.handle.stop();
    this.running.clear();
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const type = ctx.type('', 'pods');
    const pod = ctx.api.tryGet(type, namespace, name);
    const run = this.running.get(key);
    if (!pod || (run && run.uid !== meta(pod).uid)) {
      if (run) {
        run.handle.stop();
        this.running.delete(key);
      }
      if (!pod) {
        this.logs.removePod(namespace, name);
        return;
      }
    }
    const m = meta(pod);
    if (m.deletionTimestamp) {
      this.running.get(key)?.handle.stop();
      this.running.delete(key);
      return;
    }
    const spec = (pod.spec ?? {}) as JsonObject;
    if (!spec.nodeName) {
      this.bind(pod, ctx);
      return;
    }
    if (spec.nodeName !== NODE_NAME) return;
    const phase = (pod.status as JsonObject | undefined)?.phase;
    if (this.running.has(key) || phase === 'Succeeded' || phase === 'Failed')
      return;
    this.startPod(pod, ctx);
  }

  private bind(pod: KubeObject, ctx: ControllerContext): void {
    const type = ctx.type('', 'pods');
    const m = meta(pod);
    const bound = clone(pod) as KubeObject;
    (bound.spec as JsonObject).nodeName = NODE_NAME;
    const stored = ctx.api.update(type, m.namespace!, m.name!, bound, {
      fieldManager: 'kube-scheduler',
    });
    const now = nowTimestamp(ctx.now());
    const st = clone(stored.status ?? {}) as JsonObject;
    st.conditions = setCondition(
      Array.isArray(st.conditions) ? (st.conditions as JsonObject[]) : [],
      { type: 'PodScheduled', status: 'True', lastProbeTime: null },
      now,
    );
    ctx.api.update(
      type,
      m.namespace!,
      m.name!,
      { ...stored, status: st },
      { fieldManager: 'kube-scheduler' },
      'status',
    );
    ctx.events.record(
      stored,
      'Normal',
      'Scheduled',
      `Successfully assigned ${m.namespace}/${m.name} to ${NODE_NAME}`,
      'default-scheduler',
    );
  }

  private startPod(pod: KubeObject, ctx: ControllerContext): void {
    const key = keyOf(pod);
    const m = meta(pod);
    const type = ctx.type('', 'pods');
    const spec = pod.spec as JsonObject;
    const containers = (spec.containers ?? []) as Container[];
    const inits = (spec.initContainers ?? []) as Container[];
    const now = nowTimestamp(ctx.now());
    const st = clone(pod.status ?? {}) as JsonObject;
    if (!st.podIP) {
      const ip = ctx.allocators.podIP();
      st.hostIP = NODE_IP;
      st.hostIPs = [{ ip: NODE_IP }];
      st.podIP = ip;
      st.podIPs = [{ ip }];
      st.startTime = now;
      st.phase = 'Pending';
      let conds = Array.isArray(st.conditions)
        ? (st.conditions as JsonObject[])
        : [];
      conds = setCondition(
        conds,
        {
          type: 'PodReadyToStartContainers',
          status: 'False',
          lastProbeTime: null,
        },
        now,
      );
      conds = setCondition(
        conds,
        inits.length
          ? {
              type: 'Initialized',
              status: 'False',
              lastProbeTime: null,
              reason: 'ContainersNotInitialized',
              message: `containers with incomplete status: [${inits
                .map(c => c.name)
                .join(' ')}]`,
            }
          : { type: 'Initialized', status: 'True', lastProbeTime: null },
        now,
      );
      const unready = `containers with unready status: [${containers
        .map(c => c.name)
        .join(' ')}]`;
      for (const conditionType of ['Ready', 'ContainersReady']) {
        conds = setCondition(
          conds,
          {
            type: conditionType,
            status: 'False',
            lastProbeTime: null,
            reason: 'ContainersNotReady',
            message: unready,
          },
          now,
        );
      }
      conds = setCondition(
        conds,
        { type: 'PodScheduled', status: 'True', lastProbeTime: null },
        now,
      );
      st.conditions = conds;
      const waiting = (c: Container, reason: string) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason } },
        lastState: {},
      });
      if (inits.length)
        st.initContainerStatuses = inits.map(c =>
          waiting(c, 'PodInitializing'),
        );
      st.containerStatuses = containers.map(c =>
        waiting(c, inits.length ? 'PodInitializing' : 'ContainerCreating'),
      );
      st.qosClass = st.qosClass ?? 'BestEffort';
      ctx.api.update(
        type,
        m.namespace!,
        m.name!,
        { ...pod, status: st },
        { fieldManager: 'kubelet' },
        'status',
      );
    }
    const runtime = this.runtimes.forPod(pod);
    const handle = runtime.start(pod, {
      report: update => this.onReport(key, m.uid!, update, ctx),
      log: (container, line) =>
        this.logs.append(m.namespace!, m.name!, container, line),
      rotateLog: container =>
        this.logs.rotate(m.namespace!, m.name!, container),
    });
    this.running.set(key, { uid: m.uid!, handle });
  }

  private onReport(
    key: string,
    uid: string,
    update: RuntimeReport,
    ctx: ControllerContext,
  ): void {
    const { namespace, name } = splitKey(key);
    const type = ctx.type('', 'pods');
    const pod = ctx.api.tryGet(type, namespace, name);
    if (!pod || meta(pod).uid !== uid || meta(pod).deletionTimestamp) return;
    const now = nowTimestamp(ctx.now());
    const spec = pod.spec as JsonObject;
    const st = clone(pod.status ?? {}) as JsonObject;
    const initNames = new Set(
      ((spec.initContainers ?? []) as Container[]).map(c => c.name),
    );
    const statuses = (st.containerStatuses ?? []) as JsonObject[];
    const initStatuses = (st.initContainerStatuses ?? []) as JsonObject[];
    const find = (n: string) =>
      (initNames.has(n) ? initStatuses : statuses).find(s => s.name === n);
    const containerID = (n: string) =>
      `containerd://${sha(`${uid}/${n}`).slice(0, 64)}`;
    const startedNow = [
      ...(update.started ?? []).map(n => ({ n, ready: true })),
      ...(update.running ?? []).map(n => ({ n, ready: false })),
    ];
    for (const { n, ready } of startedNow) {
      const s = find(n);
      if (!s) continue;
      const image = String(s.image ?? '');
      s.state = { running: { startedAt: now } };
      s.ready = ready;
      s.started = true;
      s.imageID = imageRef(image);
      s.containerID = containerID(n);
      if (!initNames.has(n)) {
        ctx.events.record(
          pod,
          'Normal',
          'Pulled',
          `Container image "${image}" already present on machine`,
          'kubelet',
          `spec.containers{${n}}`,
        );
        ctx.events.record(
          pod,
          'Normal',
          'Created',
          `Created container ${n}`,
          'kubelet',
          `spec.containers{${n}}`,
        );
        ctx.events.record(
          pod,
          'Normal',
          'Started',
          `Started container ${n}`,
          'kubelet',
          `spec.containers{${n}}`,
        );
      }
    }
    for (const n of update.ready ?? []) {
      const s = find(n);
      if (s && isObject(s.state) && isObject((s.state as JsonObject).running))
        s.ready = true;
    }
    for (const ex of update.exited ?? []) {
      const s = find(ex.name);
      if (!s) continue;
      const running =
        isObject(s.state) && isObject((s.state as JsonObject).running)
          ? ((s.state as JsonObject).running as JsonObject)
          : undefined;
      const terminated = {
        exitCode: ex.exitCode,
        reason: ex.reason ?? (ex.exitCode === 0 ? 'Completed' : 'Error'),
        ...(ex.message ? { message: ex.message } : {}),
        startedAt: running?.startedAt ?? now,
        finishedAt: now,
        containerID: containerID(ex.name),
      };
      if (ex.restarting) {
        // The runtime starts it again after a back-off, as the kubelet does.
        s.lastState = { terminated };
        s.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off restarting failed container ${ex.name} in pod ${name}_${namespace}(${uid})`,
          },
        };
        s.restartCount = Number(s.restartCount ?? 0) + 1;
        ctx.events.record(
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${ex.name} in pod ${name}_${namespace}(${uid})`,
          'kubelet',
          `spec.containers{${ex.name}}`,
        );
      } else {
        s.state = { terminated };
        // `kubectl logs -f` ends when the container stops.
        this.logs.endContainer(namespace, name, ex.name);
      }
      s.ready = false;
      s.started = false;
      s.imageID = imageRef(String(s.image ?? ''));
      s.containerID = containerID(ex.name);
      if (initNames.has(ex.name)) {
        const image = String(s.image ?? '');
        ctx.events.record(
          pod,
          'Normal',
          'Pulled',
          `Container image "${image}" already present on machine`,
          'kubelet',
          `spec.initContainers{${ex.name}}`,
        );
        ctx.events.record(
          pod,
          'Normal',
          'Created',
          `Created container ${ex.name}`,
          'kubelet',
          `spec.initContainers{${ex.name}}`,
        );
        ctx.events.record(
          pod,
          'Normal',
          'Started',
          `Started container ${ex.name}`,
          'kubelet',
          `spec.initContainers{${ex.name}}`,
        );
      }
    }
    const initsDone = initStatuses.every(
      s =>
        isObject(s.state) &&
        isObject((s.state as JsonObject).terminated) &&
        ((s.state as JsonObject).terminated as JsonObject).exitCode === 0,
    );
    const allReady =
      statuses.length > 0 && statuses.every(s => s.ready === true);
    const terminated = statuses.filter(
      s => isObject(s.state) && isObject((s.state as JsonObject).terminated),
    );
    let conds = (st.conditions ?? []) as JsonObject[];
    if (initsDone) {
      for (const s of statuses) {
        if (
          isObject(s.state) &&
          isObject((s.state as JsonObject).waiting) &&
          ((s.state as JsonObject).waiting as JsonObject).reason ===
            'PodInitializing'
        ) {
          s.state = { waiting: { reason: 'ContainerCreating' } };
        }
      }
      conds = setCondition(
        conds,
        { type: 'Initialized', status: 'True', lastProbeTime: null },
        now,
      );
    }
    if (statuses.some(s => s.started))
      conds = setCondition(
        conds,
        {
          type: 'PodReadyToStartContainers',
          status: 'True',
          lastProbeTime: null,
        },
        now,
      );
    if (terminated.length === statuses.length && statuses.length > 0) {
      const failed = terminated.some(
        s => ((s.state as JsonObject).terminated as JsonObject).exitCode !== 0,
      );
      st.phase = failed ? 'Failed' : 'Succeeded';
      conds = setCondition(
        conds,
        {
          type: 'PodReadyToStartContainers',
          status: 'False',
          lastProbeTime: null,
        },
        now,
      );
      conds = setCondition(
        conds,
        {
          type: 'Ready',
          status: 'False',
          lastProbeTime: null,
          reason: 'PodCompleted',
        },
        now,
      );
      conds = setCondition(
        conds,
        {
          type: 'ContainersReady',
          status: 'False',
          lastProbeTime: null,
          reason: 'PodCompleted',
        },
        now,
      );
      this.running.get(key)?.handle.stop();
      this.running.delete(key);
    } else if (
      !allReady &&
      initsDone &&
      (statuses.some(s => s.started) || st.phase === 'Running')
    ) {
      // Running but not (or no longer) ready: a local process not listening yet, or one
      // restarting after an exit. The pod stays out of its Services' endpoints.
      st.phase = 'Running';
      const unready = statuses.filter(s => s.ready !== true).map(s => s.name);
      for (const conditionType of ['Ready', 'ContainersReady'])
        conds = setCondition(
          conds,
          {
            type: conditionType,
            status: 'False',
            lastProbeTime: null,
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${unready.join(' ')}]`,
          },
          now,
        );
    } else if (allReady && initsDone) {
      st.phase = 'Running';
      conds = setCondition(
        conds,
        { type: 'Ready', status: 'True', lastProbeTime: null },
        now,
      );
      conds = setCondition(
        conds,
        { type: 'ContainersReady', status: 'True', lastProbeTime: null },
        now,
      );
    }
    st.conditions = conds;
    if (deepEqual(st, pod.status)) return;
    ctx.api.update(
      type,
      namespace,
      name,
      { ...pod, status: st },
      { fieldManager: 'kubelet' },
      'status',
    );
  }
}
