import http from 'node:http';
import { startKubeSimInstance, KubeSimInstance } from '../sim';
import { eventually, TEST_INTERNALS } from '../__testUtils__/kubectl';
import { LOCAL_IMAGES } from '../__testUtils__/localImages';

// Real child processes (meshperf) on a shared machine.
jest.setTimeout(180_000);

const PROXY = (tag: string) => `docker.io/istio/proxyv2:${tag}`;

/** An echo Deployment whose pods also carry a (simulated) istio-proxy of `tag`. */
const echoWithProxy = (name: string, tag: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'bench' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [
          {
            name: 'echo',
            image: 'meshstage/echo:0.1.0',
            ports: [{ name: 'http', containerPort: 8080 }],
          },
          { name: 'istio-proxy', image: PROXY(tag) },
        ],
      },
    },
  },
});

/** Milliseconds a GET over a fresh connection takes, and its status. */
function timedGet(port: number): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  return new Promise((done, fail) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, res => {
        res.resume();
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, ms: Date.now() - started }),
        );
      })
      .on('error', fail);
  });
}

describe('simulated proxy latency on Service loopback proxies', () => {
  let sim: KubeSimInstance;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${sim.token}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const loopbackPort = (service: string): Promise<number> =>
    eventually(async () => {
      const svc = (
        await call('GET', `/api/v1/namespaces/bench/services/${service}`)
      ).json;
      const pods = (
        await call(
          'GET',
          `/api/v1/namespaces/bench/pods?labelSelector=app%3D${service}`,
        )
      ).json.items as any[];
      const ready = pods.some(p =>
        p.status?.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
      );
      const address = svc.metadata.annotations?.[
        'kube-sim.meshstage.io/loopback-8080'
      ] as string | undefined;
      return ready && address ? Number(address.split(':')[1]) : undefined;
    }, 90_000) as Promise<number>;

  beforeAll(async () => {
    sim = await startKubeSimInstance(
      {
        localImages: LOCAL_IMAGES,
        proxyLatencyMs: { 'proxyv2:1.30.3': 300 },
      },
      { ...TEST_INTERNALS, shutdownGraceMs: 3000 },
    );
    await call('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'bench' },
    });
    for (const [name, tag] of [
      ['canary', '1.30.3'],
      ['stable', '1.29.6'],
    ]) {
      await call(
        'POST',
        '/apis/apps/v1/namespaces/bench/deployments',
        echoWithProxy(name, tag),
      );
      await call('POST', '/api/v1/namespaces/bench/services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: 'bench' },
        spec: {
          selector: { app: name },
          ports: [{ name: 'http', port: 8080, targetPort: 'http' }],
        },
      });
    }
  });
  afterAll(() => sim?.close());

  it("delays each request to a pod by its proxy image's latency, changeable at run time", async () => {
    const canary = await loopbackPort('canary');
    const stable = await loopbackPort('stable');
    // Lower bounds only: the delay guarantees them, however busy the machine is.
    for (let i = 0; i < 3; i++) {
      const r = await timedGet(canary);
      expect(r.status).toBe(200);
      expect(r.ms).toBeGreaterThanOrEqual(300);
    }
    expect((await timedGet(stable)).status).toBe(200);

    sim.setProxyLatency('proxyv2:1.30.3', 0);
    sim.setProxyLatency(PROXY('1.29.6'), 400);
    const slowed = await timedGet(stable);
    expect(slowed.status).toBe(200);
    expect(slowed.ms).toBeGreaterThanOrEqual(400);
  });
});
