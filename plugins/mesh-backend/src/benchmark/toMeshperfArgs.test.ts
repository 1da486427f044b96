import { parseMeshperfArgs as parseCliArgs } from '@meshstage/loadgen';
import { profileInputSchema } from './profileSchema';
import { toMeshperfArgs } from './toMeshperfArgs';

const profile = (over: Record<string, unknown>) =>
  profileInputSchema.parse({
    name: 'p',
    endpoints: [{ url: 'http://echo.bench.svc.cluster.local:8080/' }],
    inCluster: { cluster: 'dev', namespace: 'bench', pods: 2 },
    ...over,
  });

/** What meshperf makes of a command line. */
const parsed = (args: string[]) => parseCliArgs(args, '/');

describe('toMeshperfArgs', () => {
  it('splits totals among pods and asks for JSON', () => {
    expect(
      toMeshperfArgs(
        profile({
          connections: 5,
          rate: 300,
          duration: '2s',
          jitter: 0.1,
          warmup: '1s',
        }),
        2,
        'run=r1,mesh=istio',
      ),
    ).toEqual([
      '--deny-link-local',
      'http://echo.bench.svc.cluster.local:8080/',
      '-c',
      '3',
      '-d',
      '2s',
      '-R',
      '150',
      '--jitter',
      '10%',
      '--warmup',
      '1s',
      '--engine',
      'undici',
      '--labels',
      'run=r1,mesh=istio',
      '--output',
      'json',
    ]);
    const cli = parsed(
      toMeshperfArgs(
        profile({
          connections: 5,
          rate: 300,
          duration: '2s',
          jitter: 0.1,
          warmup: '1s',
        }),
        2,
      ),
    );
    expect(cli.output).toBe('json');
    expect(cli.load.denyLinkLocal).toBe(true);
    expect(cli.load).toMatchObject({
      connections: 3,
      rate: 150,
      durationMs: 2000,
      jitter: 0.1,
      warmupMs: 1000,
    });
  });

  it('carries method, headers, body, weights, count and HTTP/2', () => {
    const args = toMeshperfArgs(
      profile({
        protocol: 'http2',
        requestCount: 101,
        threads: 2,
        timeout: '500ms',
        endpoints: [
          {
            url: 'http://a.svc/',
            method: 'post',
            headers: { 'x-a': '1' },
            body: '{}',
            weight: 3,
          },
          {
            url: 'http://b.svc/',
            method: 'post',
            headers: { 'x-a': '1' },
            body: '{}',
          },
        ],
      }),
      2,
    );
    expect(args).toEqual([
      '--deny-link-local',
      'http://a.svc/',
      'http://b.svc/',
      '-c',
      '2',
      '-n',
      '51',
      '--threads',
      '2',
      '--timeout',
      '500ms',
      '--weights',
      '3,1',
      '-m',
      'POST',
      '-H',
      'x-a: 1',
      '--body',
      '{}',
      '--http2',
      '--engine',
      'undici',
      '--output',
      'json',
    ]);
    expect(parsed(args).load).toMatchObject({
      count: 51,
      threads: 2,
      timeoutMs: 500,
      http2: true,
      targets: [
        {
          url: 'http://a.svc/',
          method: 'POST',
          headers: { 'x-a': '1' },
          body: '{}',
          weight: 3,
        },
        {
          url: 'http://b.svc/',
          method: 'POST',
          headers: { 'x-a': '1' },
          body: '{}',
          weight: 1,
        },
      ],
    });
  });

  it("names the profile's engine, so meshperf's own default never applies", () => {
    const args = toMeshperfArgs(profile({}), 2);
    expect(args.slice(-4)).toEqual(['--engine', 'undici', '--output', 'json']);
    // Without the flag meshperf would run this http:// target on net.
    expect(parsed(args)).toMatchObject({ load: { engine: 'undici' } });
  });

  it('passes the net engine on, and meshperf accepts it', () => {
    const args = toMeshperfArgs(profile({ engine: 'net' }), 2);
    expect(args.slice(-4)).toEqual(['--engine', 'net', '--output', 'json']);
    expect(parsed(args)).toMatchObject({ load: { engine: 'net' } });
  });

  it('calls the gRPC health check for grpc profiles', () => {
    expect(
      toMeshperfArgs(
        profile({
          protocol: 'grpc',
          endpoints: [{ url: 'echo.bench.svc:9090' }],
        }),
        1,
      ),
    ).toEqual([
      '--deny-link-local',
      '--grpc-health',
      'echo.bench.svc:9090',
      '-c',
      '4',
      '-d',
      '10s',
      '--output',
      'json',
    ]);
    expect(
      parsed([
        '--grpc-health',
        'echo.bench.svc:9090',
        '-c',
        '4',
        '-d',
        '10s',
        '--output',
        'json',
      ]).load.grpc,
    ).toBeDefined();
  });
});
