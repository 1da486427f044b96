import { HelpRequested, parseArgs, UsageError } from './args';

describe('kube-sim arguments', () => {
  it('parses flags and resolves paths against the base directory', () => {
    expect(
      parseArgs(
        [
          '--port',
          '0',
          '--kubeconfig',
          'kc',
          '--seed',
          'a',
          '--seed=/abs/b',
          '--state',
          's.json',
          '--token=t',
          '--server-version',
          'v1.30.2',
          '--verbose',
          '--plain-http',
        ],
        '/base',
      ),
    ).toEqual({
      port: 0,
      host: '127.0.0.1',
      kubeconfig: '/base/kc',
      seed: ['/base/a', '/abs/b'],
      state: '/base/s.json',
      token: 't',
      serverVersion: 'v1.30.2',
      plainHttp: true,
      verbose: true,
      localImages: {},
      proxyLatencyMs: {},
    });
  });

  it('collects --proxy-latency flags by image, the tag kept', () => {
    expect(
      parseArgs(
        [
          '--port=0',
          '--kubeconfig=k',
          '--proxy-latency',
          'proxyv2:1.30.3=200ms',
          '--proxy-latency=docker.io/istio/proxyv2:1.29.6=15',
        ],
        '/',
      ).proxyLatencyMs,
    ).toEqual({
      'proxyv2:1.30.3': 200,
      'docker.io/istio/proxyv2:1.29.6': 15,
    });
    for (const bad of ['proxyv2:1.30.3', '=200', 'proxyv2=-5', 'proxyv2=2s']) {
      expect(() =>
        parseArgs(['--port=0', '--kubeconfig=k', '--proxy-latency', bad], '/'),
      ).toThrow(
        `invalid --proxy-latency "${bad}": want <image>=<milliseconds>`,
      );
    }
  });

  it('collects --local-image flags: a command line, or JSON with default args', () => {
    const args = parseArgs(
      [
        '--port=0',
        '--kubeconfig=k',
        '--local-image',
        'meshstage/loadgen=/usr/bin/node /repo/packages/loadgen/bin/meshperf',
        '--local-image',
        'meshstage/echo={"command":["/usr/bin/node","/repo/bin/meshperf"],"args":["server"]}',
      ],
      '/',
    );
    expect(args.localImages).toEqual({
      'meshstage/loadgen': {
        command: ['/usr/bin/node', '/repo/packages/loadgen/bin/meshperf'],
      },
      'meshstage/echo': {
        command: ['/usr/bin/node', '/repo/bin/meshperf'],
        args: ['server'],
      },
    });
    expect(() =>
      parseArgs(
        ['--port=0', '--kubeconfig=k', '--local-image', 'nocommand'],
        '/',
      ),
    ).toThrow('invalid --local-image "nocommand": want <image>=<command...>');
    expect(() =>
      parseArgs(
        ['--port=0', '--kubeconfig=k', '--local-image', 'x={"args":[]}'],
        '/',
      ),
    ).toThrow(UsageError);
  });

  it('explains bad flags in one line', () => {
    const msg = (argv: string[]) => {
      let error: unknown;
      try {
        parseArgs(argv, '/');
      } catch (e) {
        error = e;
      }
      return error instanceof UsageError
        ? error.message
        : `not a UsageError: ${String(error)}`;
    };
    expect(msg(['--port', 'x', '--kubeconfig', 'k'])).toBe(
      'invalid --port "x": want a number from 0 to 65535',
    );
    expect(msg(['--kubeconfig', 'k'])).toBe('missing required flag: --port');
    expect(msg(['--port', '0'])).toBe('missing required flag: --kubeconfig');
    expect(msg(['--port', '0', '--kubeconfig'])).toBe(
      'flag needs an argument: --kubeconfig',
    );
    expect(msg(['--port', '0', '--kubeconfig', 'k', '--nope'])).toBe(
      'unknown flag: --nope',
    );
    expect(
      msg(['--port', '0', '--kubeconfig', 'k', '--server-version', '1.2']),
    ).toBe('invalid --server-version "1.2": want vX.Y.Z');
    expect(
      msg(['--port', '0', '--kubeconfig', 'k', '--faults', 'cut=1:at=middle']),
    ).toBe(
      'invalid --faults: "cut=1:at=middle": at= wants request, headers or body',
    );
  });

  it('checks --faults and joins repeated ones into one spec', () => {
    expect(
      parseArgs(
        [
          '--port=0',
          '--kubeconfig=k',
          '--faults',
          'error500=0.1,verbs=patch,delete',
          '--faults=seed=42',
        ],
        '/',
      ).faults,
    ).toBe('error500=0.1,verbs=patch,delete;seed=42');
  });

  it('answers --help with the whole text, spec language included', () => {
    expect(() => parseArgs(['--help'], '/')).toThrow(HelpRequested);
    expect(() => parseArgs(['-h'], '/')).toThrow(
      /--faults <spec> {2}inject API server faults/,
    );
  });
});
