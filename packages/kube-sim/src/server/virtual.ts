import type { IncomingMessage, ServerResponse } from 'node:http';
import { ObjectApi } from '../api/object-api';
import { apiVersionOf, KubeObject, meta, ResourceType } from '../api/types';
import { NODE_NAME } from '../bootstrap';
import { isObject, JsonObject } from '../util/objects';
import { fnv32a } from '../util/random';
import { nowTimestamp } from '../util/time';
import { decodeBody, readBody } from './body';
import { sendObject } from './respond';
import { errors } from './status';

/** Stable, plausible usage for a container: a few millicores, tens of MiB. */
function containerUsage(
  uid: string,
  container: string,
): { cpu: number; memKi: number } {
  const h = fnv32a(`${uid}/${container}`);
  return { cpu: 1 + (h % 20), memKi: (10 + ((h >>> 8) % 50)) * 1024 };
}

function podMetrics(pod: KubeObject, now: number): JsonObject {
  const m = meta(pod);
  const containers = (
    ((pod.spec as JsonObject)?.containers ?? []) as JsonObject[]
  ).map(c => {
    const u = containerUsage(m.uid ?? '', String(c.name));
    return {
      name: c.name,
      usage: { cpu: `${u.cpu}m`, memory: `${u.memKi}Ki` },
    };
  });
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      labels: m.labels,
      creationTimestamp: nowTimestamp(now),
    },
    timestamp: nowTimestamp(now),
    window: '10s',
    containers,
  };
}

const running = (p: KubeObject) =>
  (p.status as JsonObject | undefined)?.phase === 'Running';

/**
 * Resources computed per request: metrics.k8s.io (simulated usage of
 * running pods, so `kubectl top` and the Backstage plugin have numbers) and
 * the self-review kinds behind `kubectl auth can-i` / `whoami` (everything is
 * allowed: kube-sim has one all-powerful user).
 */
export async function serveVirtual(
  req: IncomingMessage,
  res: ServerResponse,
  api: ObjectApi,
  type: ResourceType,
  namespace: string | undefined,
  name: string | undefined,
  query: URLSearchParams,
  now: number,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (type.virtual === 'review') {
    if (method !== 'POST' || name) throw errors.methodNotAllowed();
    const body = decodeBody(await readBody(req), req.headers['content-type']);
    const obj: JsonObject = isObject(body) ? { ...body } : {};
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    obj.metadata = { creationTimestamp: null };
    if (type.kind === 'SelfSubjectAccessReview')
      obj.status = { allowed: true, reason: 'kube-sim allows every request' };
    else if (type.kind === 'SelfSubjectRulesReview') {
      obj.status = {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
    } else
      obj.status = {
        userInfo: {
          username: 'kube-sim-admin',
          groups: ['system:masters', 'system:authenticated'],
        },
      };
    sendObject(res, 201, obj);
    return;
  }
  if (method !== 'GET') throw errors.methodNotAllowed();
  const t = now;
  if (type.virtual === 'nodemetrics') {
    const pods = api.store.list('/pods').filter(running);
    let cpu = 0;
    let mem = 0;
    for (const p of pods) {
      for (const c of ((p.spec as JsonObject)?.containers ??
        []) as JsonObject[]) {
        const u = containerUsage(meta(p).uid ?? '', String(c.name));
        cpu += u.cpu;
        mem += u.memKi;
      }
    }
    const item = {
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: NODE_NAME, creationTimestamp: nowTimestamp(t) },
      timestamp: nowTimestamp(t),
      window: '10s',
      usage: { cpu: `${cpu + 150}m`, memory: `${mem + 800 * 1024}Ki` },
    };
    if (name) {
      if (name !== NODE_NAME)
        throw errors.notFound('nodes', 'metrics.k8s.io', name);
      sendObject(res, 200, item);
    } else {
      sendObject(res, 200, {
        kind: 'NodeMetricsList',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {},
        items: [item],
      });
    }
    return;
  }
  const podType = api.registry.find('', 'v1', 'pods')!;
  if (name) {
    const pod = api.tryGet(podType, namespace ?? '', name);
    if (!pod || !running(pod))
      throw errors.notFound('pods', 'metrics.k8s.io', name);
    sendObject(res, 200, podMetrics(pod, t));
    return;
  }
  const match = api.matcher(podType, {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  });
  const pods = api.store
    .list('/pods', namespace)
    .filter(p => running(p) && match(p));
  sendObject(res, 200, {
    kind: 'PodMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items: pods.map(p => podMetrics(p, t)),
  });
}
