import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, TEST_INTERNALS } from '../__testUtils__/kubectl';
import { LOCAL_IMAGES } from '../__testUtils__/localImages';
import { meta } from '../api/types';
import { KubeSimInstance, startKubeSimInstance } from '../sim';

jest.setTimeout(180_000);

const ANNOTATION = 'kube-sim.meshstage.io/loopback-80';

function status(address: string): Promise<number> {
  const [host, port] = address.split(':');
  return new Promise((done, fail) => {
    http
      .get(
        { host, port: Number(port), path: '/healthz', agent: false },
        res => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      )
      .on('error', fail);
  });
}

/** The Service's loopback address once it answers. */
async function loopback(sim: KubeSimInstance): Promise<string> {
  return eventually(async () => {
    const svc = sim.api.store.get('/services', 'default', 'echo');
    const address = meta(svc).annotations?.[ANNOTATION];
    return address && (await status(address)) === 200 ? address : undefined;
  }, 60_000) as Promise<string>;
}

describe('local processes across a restart with --state', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-local-state-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the processes of running pods again, behind a new loopback port', async () => {
    const statePath = join(dir, 'state.json');
    const options = { statePath, localImages: LOCAL_IMAGES };
    const first = await startKubeSimInstance(options, TEST_INTERNALS);
    const { api } = first;
    const type = (group: string, plural: string) =>
      api.registry.all().find(t => t.group === group && t.plural === plural)!;
    api.create(
      type('apps', 'deployments'),
      'default',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'echo', namespace: 'default' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'echo' } },
          template: {
            metadata: { labels: { app: 'echo' } },
            spec: {
              containers: [
                {
                  name: 'echo',
                  image: 'meshstage/echo',
                  ports: [{ containerPort: 8080 }],
                },
              ],
            },
          },
        },
      },
      { fieldManager: 'test' },
    );
    api.create(
      type('', 'services'),
      'default',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'echo', namespace: 'default' },
        spec: {
          selector: { app: 'echo' },
          ports: [{ port: 80, targetPort: 8080 }],
        },
      },
      { fieldManager: 'test' },
    );
    let before: string;
    let pid: number;
    try {
      before = await loopback(first);
      [pid] = first.localPids();
    } finally {
      await first.close();
    }
    expect(() => process.kill(pid, 0)).toThrow();

    const second = await startKubeSimInstance(options, TEST_INTERNALS);
    try {
      const after = await loopback(second);
      expect(after).not.toBe(before);
      expect(second.localPids()).toHaveLength(1);
      expect(second.localPids()[0]).not.toBe(pid);
    } finally {
      await second.close();
    }
    expect(second.localPids()).toEqual([]);
  });
});
