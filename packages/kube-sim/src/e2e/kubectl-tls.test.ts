import { X509Certificate } from 'node:crypto';
import { get as httpsGet } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  eventually,
  kubectlFixture,
  KubectlFixture,
  run,
} from '../__testUtils__/kubectl';
import { startKubeSimInstance } from '../sim';
import { createCertificateAuthority } from '../tls/certificates';

jest.setTimeout(180_000);

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: tls-cfg
data:
  k: "${value}"
`;

describe('kubectl over https (tls: true)', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture({ tls: true });
  });
  afterAll(() => f.close());

  it('writes a kubeconfig like a real cluster: the CA and a plain token user', () => {
    expect(f.sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const kc = parse(f.sim.kubeconfig());
    expect(kc.clusters[0].cluster).toEqual({
      server: f.sim.url,
      'certificate-authority-data': f.sim.caData,
    });
    expect(kc.users[0].user).toEqual({ token: f.sim.token });
    const ca = new X509Certificate(
      Buffer.from(f.sim.caData!, 'base64').toString(),
    );
    expect(ca.ca).toBe(true);
  });

  it('lists pods in all namespaces and applies client-side', async () => {
    await f.ok([
      'create',
      'deployment',
      'web',
      '--image=nginx',
      '-n',
      'default',
    ]);
    await eventually(async () =>
      (await f.ok(['get', 'pods', '-A'])).includes('Running'),
    );
    const path = f.file('cfg.yaml', configMap('1'));
    expect((await f.ok(['apply', '-f', path])).trim()).toBe(
      'configmap/tls-cfg created',
    );
    expect((await f.ok(['apply', '-f', path])).trim()).toBe(
      'configmap/tls-cfg unchanged',
    );
  });

  it('streams watches and followed logs', async () => {
    const watch = f.stream(['get', 'cm', '-w']);
    try {
      await eventually(() => watch.stdout.includes('tls-cfg'));
      await f.ok(['create', 'cm', 'tls-watched', '--from-literal=x=1']);
      await eventually(() => watch.stdout.includes('tls-watched'));
    } finally {
      await watch.stop();
    }
    const pod = (
      await f.ok(['get', 'pods', '-l', 'app=web', '-o', 'name'])
    ).trim();
    const logs = f.stream(['logs', '-f', pod]);
    try {
      await eventually(() => logs.stdout.includes('started'));
      // following: the stream stays open after the lines so far
      expect(logs.exited).toBe(false);
    } finally {
      await logs.stop();
    }
  });

  it('authenticates with the token: a wrong one is Unauthorized', async () => {
    const wrong = join(f.dir, 'wrong-token');
    writeFileSync(
      wrong,
      f.sim.kubeconfig().replace(f.sim.token, 'not-the-token'),
    );
    const r = await run('/usr/bin/kubectl', ['get', 'pods', '-A'], {
      PATH: process.env.PATH,
      HOME: f.dir,
      KUBECONFIG: wrong,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toBe(
      'error: You must be logged in to the server (Unauthorized)',
    );
    // over https the plain-http impersonation hack is no credential
    const status = (headers: Record<string, string>) =>
      new Promise<number | undefined>((resolve, reject) =>
        httpsGet(
          `${f.sim.url}/api/v1/namespaces`,
          { ca: Buffer.from(f.sim.caData!, 'base64'), headers },
          res => {
            res.resume();
            resolve(res.statusCode);
          },
        ).on('error', reject),
      );
    expect(
      await status({ 'Impersonate-User': `kube-sim:${f.sim.token}` }),
    ).toBe(401);
    expect(await status({ Authorization: `Bearer ${f.sim.token}` })).toBe(200);
  });

  it('is rejected by kubectl trusting another CA', async () => {
    const other = Buffer.from(createCertificateAuthority().certPem).toString(
      'base64',
    );
    const path = join(f.dir, 'other-ca');
    writeFileSync(path, f.sim.kubeconfig().replace(f.sim.caData!, other));
    const r = await run('/usr/bin/kubectl', ['get', 'ns'], {
      PATH: process.env.PATH,
      HOME: f.dir,
      KUBECONFIG: path,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('certificate signed by unknown authority');
  });
});

describe('the CA across restarts', () => {
  it('is kept next to the state, so an old kubeconfig stays valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-tls-'));
    try {
      const statePath = join(dir, 'state.json');
      const first = await startKubeSimInstance({
        tls: true,
        statePath,
        token: 't0ken',
      });
      const caData = first.caData;
      const port = Number(new URL(first.url).port);
      const kubeconfig = join(dir, 'kc');
      await first.writeKubeconfig(kubeconfig);
      await first.close();
      const second = await startKubeSimInstance({
        tls: true,
        statePath,
        token: 't0ken',
        port,
      });
      try {
        expect(second.caData).toBe(caData);
        const r = await run('/usr/bin/kubectl', ['get', 'ns', '-o', 'name'], {
          PATH: process.env.PATH,
          HOME: dir,
          KUBECONFIG: kubeconfig,
        });
        expect(r.stderr).toBe('');
        expect(r.stdout).toContain('namespace/default');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
