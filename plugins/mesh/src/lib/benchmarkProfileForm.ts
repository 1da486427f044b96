/**
 * The Performance tab's profile form: its editable state, the profile it sends, and the mapping
 * of the backend's 400 (`Invalid body field '<path>': <message>`) onto the form's fields. Pure.
 */
import type {
  BenchmarkEngine,
  BenchmarkProfile,
  BenchmarkProfileInput,
  BenchmarkProtocol,
} from '@meshstage/plugin-mesh-common';

/** One endpoint row of the form. */
export interface EndpointForm {
  url: string;
  method: string;
  /** `Name: value` lines. */
  headers: string;
  body: string;
}

/** The form's state: text fields as typed. */
export interface ProfileForm {
  name: string;
  description: string;
  endpoints: EndpointForm[];
  connections: string;
  /** `max`: as fast as possible; `rate`: open loop at `rate` req/s. */
  loadMode: 'max' | 'rate';
  rate: string;
  duration: string;
  warmup: string;
  protocol: BenchmarkProtocol;
  engine: BenchmarkEngine;
  inCluster: boolean;
  cluster: string;
  namespace: string;
  pods: string;
  /** Tie the profile to the current entity (otherwise global). */
  forEntity: boolean;
}

/**
 * The development cluster's sample echo target (`deploy-sample` with `sample: echo` deploys two
 * replicas of `meshstage/echo` into namespace `echo`, Service `echo` on port 8080). Reachable
 * from load-generator pods in that cluster; the backend process reaches it only through
 * kube-sim's loopback port (the Service's `kube-sim.meshstage.io/loopback-8080` annotation).
 */
export const SAMPLE_ECHO = {
  url: 'http://echo.echo.svc.cluster.local:8080/',
  cluster: 'dev',
  namespace: 'echo',
};

/** Protocols the backend supports, with their labels. */
export const PROTOCOLS: { value: BenchmarkProtocol; label: string }[] = [
  { value: 'http1', label: 'HTTP/1.1' },
  { value: 'http2', label: 'HTTP/2 (h2)' },
  { value: 'grpc', label: 'gRPC (health check)' },
];

/** loadgen's engines, with their labels. */
export const ENGINES: { value: BenchmarkEngine; label: string }[] = [
  { value: 'undici', label: 'undici (TLS, HTTP/2)' },
  { value: 'net', label: 'net (plain http:// HTTP/1.1, fastest)' },
];

/** An empty form: one GET endpoint, 4 connections at max rate for 10 s after a 1 s warmup. */
export function emptyProfileForm(): ProfileForm {
  return {
    name: '',
    description: '',
    endpoints: [{ url: '', method: 'GET', headers: '', body: '' }],
    connections: '4',
    loadMode: 'max',
    rate: '',
    duration: '10s',
    warmup: '1s',
    protocol: 'http1',
    engine: 'undici',
    inCluster: false,
    cluster: SAMPLE_ECHO.cluster,
    namespace: 'default',
    pods: '1',
    forEntity: true,
  };
}

/** The form filled with the sample echo target (in-cluster, in its namespace). */
export function withSampleEcho(form: ProfileForm): ProfileForm {
  return {
    ...form,
    name: form.name || 'echo',
    endpoints: [
      { ...form.endpoints[0], url: SAMPLE_ECHO.url },
      ...form.endpoints.slice(1),
    ],
    inCluster: true,
    cluster: SAMPLE_ECHO.cluster,
    namespace: SAMPLE_ECHO.namespace,
  };
}

function formatHeaders(headers?: Record<string, string>): string {
  return Object.entries(headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** The form of a stored profile. */
export function profileToForm(p: BenchmarkProfile): ProfileForm {
  return {
    name: p.name,
    description: p.description ?? '',
    endpoints: p.endpoints.map(e => ({
      url: e.url,
      method: e.method ?? 'GET',
      headers: formatHeaders(e.headers),
      body: e.body ?? '',
    })),
    connections: String(p.connections),
    loadMode: p.rate > 0 ? 'rate' : 'max',
    rate: p.rate > 0 ? String(p.rate) : '',
    duration: p.duration ?? '',
    warmup: p.warmup ?? '',
    protocol: p.protocol,
    engine: p.engine,
    inCluster: !!p.inCluster,
    cluster: p.inCluster?.cluster ?? SAMPLE_ECHO.cluster,
    namespace: p.inCluster?.namespace ?? 'default',
    pods: String(p.inCluster?.pods ?? 1),
    forEntity: !!p.entityRef,
  };
}

/** Field errors keyed by the backend's field path (`endpoints.0.url`, `connections`). */
export type FieldErrors = Record<string, string>;

function parseHeaders(
  text: string,
  at: string,
  errors: FieldErrors,
): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      errors[at] = `Expected "Name: value" on each line, got "${line.trim()}"`;
      return undefined;
    }
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return Object.keys(headers).length ? headers : undefined;
}

function parseNumber(
  text: string,
  field: string,
  errors: FieldErrors,
): number | undefined {
  if (!text.trim()) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) {
    errors[field] = 'Expected a number';
    return undefined;
  }
  return n;
}

/**
 * The profile the form sends, or the errors that stop it from being built (only what the form
 * itself must know: numbers and header lines; the backend checks the rest and answers 400).
 */
export function formToProfile(
  form: ProfileForm,
  entityRef?: string,
): { profile?: BenchmarkProfileInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const endpoints = form.endpoints.map((e, i) => {
    const headers = parseHeaders(e.headers, `endpoints.${i}.headers`, errors);
    return {
      url: e.url.trim(),
      ...(e.method.trim() ? { method: e.method.trim().toUpperCase() } : {}),
      ...(headers ? { headers } : {}),
      ...(e.body ? { body: e.body } : {}),
    };
  });
  const connections = parseNumber(form.connections, 'connections', errors);
  const rate =
    form.loadMode === 'rate' ? parseNumber(form.rate, 'rate', errors) : 0;
  if (form.loadMode === 'rate' && !errors.rate && !(rate && rate > 0)) {
    errors.rate = 'Give a rate above 0 requests per second, or choose max';
  }
  const pods = form.inCluster
    ? parseNumber(form.pods, 'inCluster.pods', errors)
    : undefined;
  if (Object.keys(errors).length > 0) return { errors };
  const profile: BenchmarkProfileInput = {
    name: form.name.trim(),
    ...(form.description.trim()
      ? { description: form.description.trim() }
      : {}),
    endpoints,
    protocol: form.protocol,
    engine: form.engine,
    ...(connections !== undefined ? { connections } : {}),
    rate: rate ?? 0,
    ...(form.duration.trim() ? { duration: form.duration.trim() } : {}),
    ...(form.warmup.trim() ? { warmup: form.warmup.trim() } : {}),
    ...(form.forEntity && entityRef ? { entityRef } : {}),
    ...(form.inCluster
      ? {
          inCluster: {
            cluster: form.cluster.trim(),
            namespace: form.namespace.trim() || 'default',
            ...(pods !== undefined ? { pods } : {}),
          },
        }
      : {}),
  };
  return { profile, errors };
}

/**
 * The field and message of the backend's validation error (`Invalid body field 'x.y': msg`),
 * with a leading `profile.` dropped; undefined for other messages.
 */
export function fieldErrorFromMessage(
  message: string,
): { field: string; message: string } | undefined {
  const m =
    /^Invalid (?:body field|field of profile \S+) '([^']+)': ([\s\S]*)$/.exec(
      message,
    );
  if (!m) return undefined;
  return { field: m[1].replace(/^profile\./, ''), message: m[2] };
}
