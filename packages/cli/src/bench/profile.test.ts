import fs from 'node:fs';
import path from 'node:path';
import { BenchInputError } from './inputError';
import { parseProfile } from './profile';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../../examples/benchmark/echo-profile.yaml',
);

function refusal(text: string): string {
  try {
    parseProfile(text, 'perf.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(BenchInputError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('parseProfile', () => {
  it('maps a YAML profile onto the load the backend would send', () => {
    const p = parseProfile(
      [
        'name: checkout',
        'endpoints:',
        '  - url: http://checkout:8080/cart',
        '    method: post',
        '    headers: { content-type: application/json }',
        '    body: "{}"',
        'connections: 8',
        'rate: 400',
        'duration: 30s',
        'warmup: 2s',
        'thresholds: { maxP99: 250ms, maxErrorRate: 0.01 }',
      ].join('\n'),
      'perf.yaml',
    );
    expect(p.load).toEqual({
      targets: [
        {
          url: 'http://checkout:8080/cart',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        },
      ],
      connections: 8,
      rate: 400,
      durationMs: 30_000,
      warmupMs: 2000,
      jitter: 0,
      threads: 1,
      http2: false,
    });
    expect(p.thresholds).toEqual({ maxP99Ms: 250, maxErrorRate: 0.01 });
  });

  it('reads JSON too, applies the backend defaults and carries labels', () => {
    const p = parseProfile(
      JSON.stringify({
        name: 'grpc health',
        endpoints: [{ url: 'localhost:50051' }],
        protocol: 'grpc',
        requestCount: 100,
      }),
      'p.json',
      'mesh=istio',
    );
    expect(p.load).toMatchObject({
      count: 100,
      connections: 4,
      rate: 0,
      grpc: {},
      labels: 'mesh=istio',
    });
    expect(p.load.durationMs).toBeUndefined();
    expect(p.thresholds).toEqual({});
  });

  it('does not refuse link-local targets as the backend does: it runs as its user', () => {
    const p = parseProfile(
      'name: x\nendpoints: [{ url: "http://169.254.1.1/" }]\n',
      'p.yaml',
    );
    expect(p.load.denyLinkLocal).toBeUndefined();
  });

  it('names the file, line, column and field of the first problem', () => {
    expect(
      refusal('name: x\nendpoints:\n  - url: http://a/\nconnections: four\n'),
    ).toBe(
      "perf.yaml:4:1: profile field 'connections': Expected number, received string",
    );
    expect(refusal('name: x\nendpoints:\n  - method: GET\n')).toBe(
      "perf.yaml:3:5: profile field 'endpoints.0.url': Required",
    );
    expect(
      refusal('name: x\nendpoints: [{ url: "http://a/" }]\nconections: 4\n'),
    ).toBe(
      "perf.yaml:3:1: profile field 'conections': Unrecognized key(s) in object: 'conections'",
    );
    expect(
      refusal(
        'name: x\nendpoints: [{ url: "http://a/" }]\nthresholds:\n  maxP99: soon\n',
      ),
    ).toBe(
      "perf.yaml:4:3: profile field 'thresholds.maxP99': Expected a duration such as 10s, 500ms or 1m30s",
    );
    expect(refusal('endpoints: [{ url: "http://a/" }]\n')).toBe(
      "perf.yaml:1:1: profile field 'name': Required",
    );
  });

  it('refuses what is not a profile at all', () => {
    expect(refusal('name: x\nendpoints: [\n')).toMatch(
      /^perf\.yaml:3:1: not a valid profile: [^\n]+$/,
    );
    expect(refusal('- a\n- b\n')).toBe(
      'perf.yaml: not a valid profile: expected a mapping of profile fields (name, endpoints, ...)',
    );
    expect(refusal('')).toMatch(/^perf\.yaml: not a valid profile/);
  });

  it('refuses an in-cluster profile, which only the backend can run', () => {
    expect(
      refusal(
        'name: x\nendpoints: [{ url: "http://a/" }]\ninCluster:\n  cluster: dev\n',
      ),
    ).toMatch(
      /^perf\.yaml:3:1: profile field 'inCluster': meshstage bench sends/,
    );
  });

  it('accepts the example profile in examples/benchmark', () => {
    const p = parseProfile(
      fs.readFileSync(EXAMPLE, 'utf8'),
      'echo-profile.yaml',
    );
    expect(p.load.targets[0].url).toMatch(/^http:\/\/127\.0\.0\.1:8080\//);
    expect(p.thresholds).toEqual({ maxP99Ms: 250, maxErrorRate: 0.01 });
  });
});
