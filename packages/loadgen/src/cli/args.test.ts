import { parseCliArgs, UsageError } from './args';
import { checkThresholds } from './thresholds';
import type { LoadResult } from '../types';

const parse = (...argv: string[]) => parseCliArgs(argv, '/base');

describe('meshperf arguments', () => {
  it('maps flags onto load options', () => {
    const a = parse(
      'http://h/x',
      '-c',
      '16',
      '-d',
      '30s',
      '-R',
      '1000',
      '--threads',
      '2',
      '--warmup',
      '5s',
      '--timeout',
      '500ms',
      '-H',
      'Authorization: Bearer t',
      '-H',
      'X-A:b',
      '-m',
      'post',
      '--body',
      '{}',
      '--pipelining',
      '4',
      '--jitter',
      '10%',
      '--output',
      'json',
    ).load;
    expect(a).toMatchObject({
      targets: [
        {
          url: 'http://h/x',
          method: 'POST',
          headers: { Authorization: 'Bearer t', 'X-A': 'b' },
          body: '{}',
        },
      ],
      connections: 16,
      durationMs: 30_000,
      rate: 1000,
      threads: 2,
      warmupMs: 5000,
      timeoutMs: 500,
      pipelining: 4,
      jitter: 0.1,
    });
  });

  it('reads thresholds, output, files and gRPC flags', () => {
    const a = parse(
      'http://h/',
      '-o',
      'fortio',
      '--max-p99',
      '50ms',
      '--max-error-rate',
      '0.1%',
      '--min-rps',
      '10',
      '--body-file',
      'b.bin',
      '--cacert',
      '/etc/ca.pem',
    );
    expect(a.output).toBe('fortio');
    expect(a.thresholds).toEqual({
      maxP99Ms: 50,
      maxErrorRate: 0.001,
      minRps: 10,
    });
    expect(a.bodyFile).toBe('/base/b.bin');
    expect(a.caFile).toBe('/etc/ca.pem');
    expect(parse('--grpc-health', 'localhost:50051').load.grpc).toEqual({});
    expect(
      parse('localhost:50051', '--grpc-health=frontend').load.grpc,
    ).toEqual({ service: 'frontend' });
    expect(
      parse('http://a/', 'http://b/', '--weights', '3,1').load.targets.map(
        t => t.weight,
      ),
    ).toEqual([3, 1]);
    expect(parse('http://a/', '-n', '100').load).toMatchObject({ count: 100 });
    expect(parse('http://a/').load).toMatchObject({
      durationMs: 10_000,
      connections: 10,
      rate: 0,
    });
  });

  it('rejects bad input with one-line reasons', () => {
    const cases: [string[], RegExp][] = [
      [[], /missing target URL/],
      [['nope'], /invalid URL "nope"/],
      [
        ['localhost:8080'],
        /invalid URL "localhost:8080" \(include the scheme, e\.g\. http:\/\/localhost:8080\)/,
      ],
      [['http://exa mple/'], /invalid URL/],
      [['ftp://h/'], /unsupported URL scheme/],
      [
        ['http://h/', '--bogus'],
        /Unknown option '--bogus' \(--help for usage\)/,
      ],
      [['http://h/', '-d', '10x'], /invalid duration "10x"/],
      [['http://h/', '-o', 'xml'], /unknown output "xml"/],
      [['http://h/', '-c', '0'], /connections must be at least 1/],
      [['http://h/', '-d', '1s', '-n', '5'], /either --duration/],
      [['http://h/', '-H', 'novalue'], /invalid header/],
      [['http://h/', '--max-error-rate', 'lots'], /invalid percentage/],
      [['http://h/', '--jitter', '10%'], /needs a constant rate/],
      [['http://a/', 'http://b/', '--weights', '1'], /--weights has 1 value/],
      [['http://h/', '--engine', 'curl'], /unknown engine "curl"/],
      [
        ['https://h/', '--engine', 'net'],
        /--engine net speaks plain HTTP\/1\.1 only, not https:\/\/ \(TLS\)/,
      ],
      [['http://h/', '--engine', 'net', '--http2'], /not HTTP\/2/],
      [['h:50051', '--engine', 'net', '--grpc-health'], /not gRPC/],
    ];
    for (const [argv, message] of cases) {
      let err: unknown;
      try {
        parse(...argv);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});

describe('--engine', () => {
  it('defaults to net for plain http:// HTTP/1.1 and to undici otherwise', () => {
    expect(parse('http://h/').load.engine).toBe('net');
    expect(parse('http://a/', 'http://b:8080/x').load.engine).toBe('net');
    expect(parse('https://h/').load.engine).toBe('undici');
    expect(parse('http://a/', 'https://b/').load.engine).toBe('undici');
    expect(parse('http://h/', '--http2').load.engine).toBe('undici');
    // gRPC runs on grpc-js; no HTTP engine is set.
    expect(
      parse('--grpc-health', 'localhost:50051').load.engine,
    ).toBeUndefined();
  });

  it('is overridden by --engine', () => {
    expect(parse('http://h/', '--engine', 'undici').load.engine).toBe('undici');
    expect(
      parse(
        'http://h/',
        '--engine',
        'net',
        '--threads',
        '2',
        '--pipelining',
        '4',
      ).load,
    ).toMatchObject({ engine: 'net', threads: 2, pipelining: 4 });
    expect(parse('https://h/', '--engine', 'undici').load.engine).toBe(
      'undici',
    );
  });
});

describe('thresholds', () => {
  const result = {
    requests: {
      total: 1000,
      ok: 990,
      failed: 10,
      perSecond: 480,
      errorRate: 0.01,
    },
    latencyMs: {
      min: 1,
      mean: 5,
      stddev: 2,
      p50: 4,
      p75: 6,
      p90: 9,
      p99: 73.2,
      p999: 90,
      p9999: 95,
      max: 99,
    },
  } as LoadResult;

  it('names each broken threshold with the measured value', () => {
    expect(
      checkThresholds(result, {
        maxP99Ms: 100,
        maxErrorRate: 0.02,
        minRps: 400,
      }),
    ).toEqual([]);
    expect(
      checkThresholds(result, {
        maxP99Ms: 50,
        maxErrorRate: 0.001,
        minRps: 500,
        maxP50Ms: 10,
      }),
    ).toEqual([
      'threshold --max-p99 50.0ms broken: measured p99 73.2ms',
      'threshold --max-error-rate 0.1% broken: measured error rate 1% (10 of 1000)',
      'threshold --min-rps 500 broken: measured 480 req/s',
    ]);
  });

  it('fails every threshold when nothing completed', () => {
    const empty = {
      ...result,
      requests: { ...result.requests, total: 0 },
    } as LoadResult;
    expect(checkThresholds(empty, { maxP99Ms: 50 })).toHaveLength(1);
    expect(checkThresholds(empty, {})).toEqual([]);
  });
});
