/**
 * Write helpers for tests against a real or simulated cluster. MeshStage's read paths never
 * write; tests change the cluster through its API directly, as an operator with kubectl would.
 */

/** Where a test cluster's API server is, and the bearer token it accepts. @public */
export interface TestClusterTarget {
  url: string;
  token?: string;
}

/** A manifest to create; its plural is derived from its kind, so use kinds with regular plurals. @public */
export interface TestManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

async function call(
  target: TestClusterTarget,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<any> {
  const res = await fetch(`${target.url.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(target.token && { Authorization: `Bearer ${target.token}` }),
      ...(body !== undefined && { 'Content-Type': contentType }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}

function collectionPath(obj: TestManifest): string {
  const plural = `${obj.kind.toLowerCase()}s`;
  const base = obj.apiVersion.includes('/')
    ? `/apis/${obj.apiVersion}`
    : `/api/${obj.apiVersion}`;
  const ns = obj.metadata.namespace
    ? `/namespaces/${encodeURIComponent(obj.metadata.namespace)}`
    : '';
  return `${base}${ns}/${plural}`;
}

/** Creates objects in order (namespaces first, then what goes in them). @public */
export async function createTestObjects(
  target: TestClusterTarget,
  objects: TestManifest[],
): Promise<void> {
  for (const obj of objects) {
    await call(target, 'POST', collectionPath(obj), obj);
  }
}

/** Merges labels and annotations into a namespace, like `kubectl label` / `kubectl annotate`. @public */
export async function patchTestNamespace(
  target: TestClusterTarget,
  name: string,
  metadata: {
    /** `null` removes a label (JSON merge patch). */
    labels?: Record<string, string | null>;
    annotations?: Record<string, string | null>;
  },
): Promise<void> {
  await call(
    target,
    'PATCH',
    `/api/v1/namespaces/${encodeURIComponent(name)}`,
    { metadata },
    'application/merge-patch+json',
  );
}

/**
 * Deletes the pods a label selector matches in a namespace, so their ReplicaSets recreate them
 * (what a rollout restart achieves) and the injector sees the new pods.
 * @public
 */
export async function deleteTestPods(
  target: TestClusterTarget,
  namespace: string,
  labelSelector: string,
): Promise<void> {
  const ns = encodeURIComponent(namespace);
  const list = await call(
    target,
    'GET',
    `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(
      labelSelector,
    )}`,
  );
  for (const pod of list?.items ?? []) {
    await call(
      target,
      'DELETE',
      `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}`,
    );
  }
}

/**
 * Polls `check` until it returns something other than `undefined` (controllers converge
 * asynchronously), or rejects after `timeoutMs` with the last error seen. The default is
 * generous: it only bounds how long a broken test hangs, and a busy machine must not reach it.
 * @public
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${
          lastError ? `: ${lastError}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
