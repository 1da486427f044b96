import { ConfigReader } from '@backstage/config';
import { checkProfileLimits, readBenchmarkConfig } from './limits';
import { profileInputSchema } from './profileSchema';

describe('readBenchmarkConfig', () => {
  it('has zero-config defaults', () => {
    expect(readBenchmarkConfig(new ConfigReader({}))).toEqual({
      concurrency: 1,
      limits: {
        maxRate: 10_000,
        maxDurationMs: 600_000,
        maxConnections: 256,
        maxThreads: 4,
        maxPods: 10,
        allowedHosts: [
          'localhost',
          '127.0.0.1',
          '::1',
          '*.svc.cluster.local',
          '*.svc',
        ],
      },
    });
  });

  it('reads every key, durations in Backstage forms', () => {
    const c = readBenchmarkConfig(
      new ConfigReader({
        mesh: {
          benchmark: {
            concurrency: 2,
            maxRate: 50,
            maxDuration: { minutes: 2 },
            maxConnections: 8,
            maxThreads: 2,
            maxPods: 3,
            allowedHosts: ['*'],
          },
        },
      }),
    );
    expect(c).toEqual({
      concurrency: 2,
      limits: {
        maxRate: 50,
        maxDurationMs: 120_000,
        maxConnections: 8,
        maxThreads: 2,
        maxPods: 3,
        allowedHosts: ['*'],
      },
    });
  });

  it('refuses a non-positive limit at startup', () => {
    expect(() =>
      readBenchmarkConfig(
        new ConfigReader({ mesh: { benchmark: { maxRate: 0 } } }),
      ),
    ).toThrow('mesh.benchmark.maxRate must be a positive number');
  });
});

describe('checkProfileLimits', () => {
  const limits = readBenchmarkConfig(new ConfigReader({})).limits;
  const profile = (over: Record<string, unknown>) =>
    profileInputSchema.parse({
      name: 'p',
      endpoints: [{ url: 'http://echo.demo.svc.cluster.local:8080/' }],
      ...over,
    });

  it('accepts a profile within the limits', () => {
    expect(() => checkProfileLimits(profile({}), limits)).not.toThrow();
  });

  it('names the endpoint whose host is not allowed, with the prefix', () => {
    expect(() =>
      checkProfileLimits(
        profile({
          endpoints: [
            { url: 'http://echo.demo.svc:8080/' },
            { url: 'https://api.example.com/' },
          ],
        }),
        limits,
        { prefix: 'profile.' },
      ),
    ).toThrow(
      "Invalid body field 'profile.endpoints.1.url': host 'api.example.com' is not in mesh.benchmark.allowedHosts",
    );
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://2852039166/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]:8080/',
    'http://[fd00:ec2::254]/',
    'http://100.100.100.200/',
  ])(
    'refuses the link-local or metadata target %s even when every host is allowed',
    url => {
      const open = readBenchmarkConfig(
        new ConfigReader({ mesh: { benchmark: { allowedHosts: ['*'] } } }),
      ).limits;
      expect(() =>
        checkProfileLimits(profile({ endpoints: [{ url }] }), open),
      ).toThrow(
        /^Invalid body field 'endpoints\.0\.url': host '.*' is .*benchmarks never target link-local or cloud metadata addresses$/,
      );
    },
  );

  it('wants http(s) URLs except for gRPC', () => {
    expect(() =>
      checkProfileLimits(
        profile({ endpoints: [{ url: 'echo.demo.svc:80' }] }),
        limits,
      ),
    ).toThrow("'endpoints.0.url'");
    expect(() =>
      checkProfileLimits(
        profile({ protocol: 'grpc', endpoints: [{ url: 'echo.demo.svc:80' }] }),
        limits,
      ),
    ).not.toThrow();
  });

  it('wants in-cluster endpoints to share method, headers and body', () => {
    expect(() =>
      checkProfileLimits(
        profile({
          inCluster: { cluster: 'dev' },
          endpoints: [
            { url: 'http://a.svc/' },
            { url: 'http://b.svc/', method: 'POST', body: 'x' },
          ],
        }),
        limits,
        { clusters: ['dev'] },
      ),
    ).toThrow("'endpoints.1'");
  });

  it('keeps secret headers to saved profiles that run in the backend', () => {
    const secret = {
      endpoints: [
        {
          url: 'http://a.svc/',
          headers: { Authorization: 'Bearer x' },
          secretHeaders: ['Authorization'],
        },
      ],
    };
    expect(() => checkProfileLimits(profile(secret), limits)).not.toThrow();
    // An inline profile is stored with its run or operation.
    expect(() =>
      checkProfileLimits(profile(secret), limits, { prefix: 'profile.' }),
    ).toThrow(
      "Invalid body field 'profile.endpoints.0.secretHeaders': secret headers are kept in saved profiles only: save the profile, then run it by its id",
    );
    expect(() =>
      checkProfileLimits(
        profile({ ...secret, inCluster: { cluster: 'dev' } }),
        limits,
        { clusters: ['dev'] },
      ),
    ).toThrow(
      "Invalid body field 'endpoints.0.secretHeaders': in-cluster runs cannot send secret headers yet",
    );
  });
});
