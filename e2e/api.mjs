// What the browser tests do outside the browser, as a platform engineer would: the mesh backend's
// REST API with a guest token (README, "The mesh backend REST API") and kubectl against the dev
// cluster's kubeconfig.
import { spawnSync } from 'node:child_process';
import { request as httpRequestRaw } from 'node:http';
import { waitFor } from './portal.mjs';

/**
 * One HTTP request on a connection of its own (no keep-alive: a pooled connection the server
 * closed after its idle timeout makes a request fail as "fetch failed", and a POST that starts an
 * operation must not be retried blindly). Resolves { status, text }.
 */
function httpRequest(url, { method, headers = {}, body, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const req = httpRequestRaw(
      url,
      {
        method,
        agent: false,
        headers: {
          ...headers,
          ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}),
        },
        timeout: timeoutMs,
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
    );
    req.on('error', e =>
      reject(new Error(`${method} ${url}: ${e.code ?? ''} ${e.message}`)),
    );
    req.end(body);
  });
}

export function createApi(baseUrl) {
  let token;
  const getToken = async () => {
    if (!token) {
      const res = await httpRequest(`${baseUrl}/api/auth/guest/refresh`, {
        method: 'POST',
        timeoutMs: 15_000,
      });
      if (res.status !== 200) {
        throw new Error(`guest sign-in: HTTP ${res.status}`);
      }
      token = JSON.parse(res.text).backstageIdentity.token;
    }
    return token;
  };
  const request = async (method, path, body, retried = false) => {
    const res = await httpRequest(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await getToken()}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      timeoutMs: 30_000,
    });
    if (res.status === 401 && !retried) {
      // A restarted backend (portal.restartBackend) may not accept the old token: sign in again.
      token = undefined;
      return request(method, path, body, true);
    }
    if (res.status < 200 || res.status > 299) {
      throw new Error(
        `${method} ${path}: HTTP ${res.status} ${res.text.slice(0, 300)}`,
      );
    }
    return res.text ? JSON.parse(res.text) : undefined;
  };
  const api = {
    get: path => request('GET', path),
    post: (path, body) => request('POST', path, body),

    /** Starts a lifecycle operation and waits until it succeeded; throws if it ended otherwise. */
    async runOperation(body, { timeoutMs = 180_000 } = {}) {
      const { operation } = await api.post('/api/mesh/operations', body);
      const final = await waitFor(
        `operation ${operation.id} (${operation.summary}) to finish`,
        async () => {
          const { operation: op } = await api.get(
            `/api/mesh/operations/${operation.id}`,
          );
          return [
            'succeeded',
            'failed',
            'cancelled',
            'reverted',
            'interrupted',
          ].includes(op.state)
            ? op
            : undefined;
        },
        { timeoutMs, intervalMs: 500 },
      );
      if (final.state !== 'succeeded') {
        const { log } = await api.get(`/api/mesh/operations/${operation.id}`);
        throw new Error(
          `operation "${operation.summary}" ended ${final.state}: ${
            log?.at(-1)?.message ?? ''
          }`,
        );
      }
      return final;
    },

    /** Istio on the dev cluster at the adapter's first supported version (idempotent). */
    async ensureIstio() {
      const status = await api.get('/api/mesh/status?cluster=dev&mesh=istio');
      const istio = status.items?.find(
        s => s.mesh === 'istio' && s.cluster === 'dev',
      );
      if (istio?.installed) return istio.versions?.[0];
      const { items } = await api.get('/api/mesh/adapters');
      const version = items.find(a => a.id === 'istio')?.supportedVersions?.[0];
      if (!version)
        throw new Error('GET /api/mesh/adapters lists no istio version');
      await api.runOperation({
        action: 'install',
        mesh: 'istio',
        cluster: 'dev',
        version,
      });
      return version;
    },
  };
  return api;
}

/** kubectl against the dev cluster; throws with its stderr when it fails. */
export function kubectl(kubeconfig, args, input) {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} failed (${
        r.error?.message ?? `exit ${r.status}`
      }): ${r.stderr}`,
    );
  }
  return r.stdout;
}
