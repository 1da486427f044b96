/**
 * The environment of a container run locally: the container's `env` and
 * `envFrom` as Kubernetes resolves them, plus what kube-sim adds (ports,
 * Service pins). Pure: objects are read through the `lookup` callback.
 */
import { KubeObject, meta } from '../api/types';
import { isObject, JsonObject } from '../util/objects';

/** Reads a ConfigMap or Secret (`kind`) of the pod's namespace. */
export type ObjectLookup = (
  kind: 'configmaps' | 'secrets',
  name: string,
) => KubeObject | undefined;

function fieldValue(pod: KubeObject, path: string): string | undefined {
  const m = meta(pod);
  const spec = (pod.spec ?? {}) as JsonObject;
  const status = (pod.status ?? {}) as JsonObject;
  const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (label) return m.labels?.[label[1]];
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (annotation) return m.annotations?.[annotation[1]];
  const values: Record<string, unknown> = {
    'metadata.name': m.name,
    'metadata.namespace': m.namespace,
    'metadata.uid': m.uid,
    'spec.nodeName': spec.nodeName,
    'spec.serviceAccountName': spec.serviceAccountName,
    'status.podIP': status.podIP,
    'status.hostIP': status.hostIP,
  };
  const v = values[path];
  return v === undefined || v === null ? undefined : String(v);
}

function dataOf(
  obj: KubeObject | undefined,
  kind: string,
): Record<string, string> {
  if (!obj) return {};
  const out: Record<string, string> = {};
  const data = isObject(obj.data) ? (obj.data as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(data))
    out[k] =
      kind === 'secrets'
        ? Buffer.from(String(v), 'base64').toString('utf8')
        : String(v);
  if (isObject(obj.stringData))
    for (const [k, v] of Object.entries(obj.stringData as JsonObject))
      out[k] = String(v);
  return out;
}

/** Expands Kubernetes' `$(VAR)` references (`$$` escapes); unknown references stay as written. */
export function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name) => {
    if (all === '$$') return '$';
    return name in env ? env[name] : all;
  });
}

/** The container's own environment (`envFrom`, then `env`, with `$(VAR)` expansion as Kubernetes does). */
export function containerEnv(
  pod: KubeObject,
  container: JsonObject,
  lookup: ObjectLookup,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of (container.envFrom ?? []) as JsonObject[]) {
    const prefix = String(from.prefix ?? '');
    const cm = from.configMapRef as JsonObject | undefined;
    const sec = from.secretRef as JsonObject | undefined;
    let data: Record<string, string> = {};
    if (cm) data = dataOf(lookup('configmaps', String(cm.name)), 'configmaps');
    else if (sec) data = dataOf(lookup('secrets', String(sec.name)), 'secrets');
    for (const [k, v] of Object.entries(data)) env[prefix + k] = v;
  }
  for (const e of (container.env ?? []) as JsonObject[]) {
    const name = String(e.name);
    if (typeof e.value === 'string') {
      env[name] = expandVars(e.value, env);
      continue;
    }
    const from = (e.valueFrom ?? {}) as JsonObject;
    let v: string | undefined;
    if (isObject(from.fieldRef))
      v = fieldValue(pod, String((from.fieldRef as JsonObject).fieldPath));
    else if (isObject(from.configMapKeyRef)) {
      const r = from.configMapKeyRef as JsonObject;
      v = dataOf(lookup('configmaps', String(r.name)), 'configmaps')[
        String(r.key)
      ];
    } else if (isObject(from.secretKeyRef)) {
      const r = from.secretKeyRef as JsonObject;
      v = dataOf(lookup('secrets', String(r.name)), 'secrets')[String(r.key)];
    }
    if (v !== undefined) env[name] = v;
    else if (e.value === undefined && !isObject(e.valueFrom)) env[name] = '';
  }
  return env;
}

/** Environment variables kept from kube-sim's own (a container otherwise starts clean, as in a cluster). */
const INHERITED = [
  'PATH',
  'HOME',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'TZ',
  'SYSTEMROOT',
];

/** What kube-sim adds for a local container. */
export interface RuntimeEnv {
  /** containerPort → loopback port allocated for it, in declaration order. */
  ports: [number, number][];
  /** `host:port:addr:port` pins for the Services backed by local pods. */
  resolve: string[];
}

/**
 * The full environment: a few of kube-sim's variables, the image's, the
 * container's, then kube-sim's own (`PORT`, `HOST`, `KUBE_SIM_PORT_MAP`,
 * `MESHPERF_RESOLVE`, `HOSTNAME`), which win because the process cannot bind
 * the ports the container declares.
 */
export function processEnv(
  base: NodeJS.ProcessEnv,
  imageEnv: Record<string, string> | undefined,
  own: Record<string, string>,
  pod: KubeObject,
  runtime: RuntimeEnv,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of INHERITED) if (base[k] !== undefined) env[k] = base[k]!;
  Object.assign(env, imageEnv ?? {}, own);
  const m = meta(pod);
  env.HOSTNAME = m.name ?? '';
  env.KUBE_SIM_POD = `${m.namespace}/${m.name}`;
  if (runtime.ports.length) {
    env.PORT = String(runtime.ports[0][1]);
    env.KUBE_SIM_PORT_MAP = runtime.ports
      .map(([c, h]) => `${c}=${h}`)
      .join(',');
  }
  env.HOST = '127.0.0.1';
  if (runtime.resolve.length) env.MESHPERF_RESOLVE = runtime.resolve.join(',');
  return env;
}
