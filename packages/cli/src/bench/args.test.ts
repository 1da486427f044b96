import { parseBenchArgs } from './args';
import { BenchInputError } from './inputError';

const parse = (...argv: string[]) => parseBenchArgs(argv, '/work');

/** The one-line reason a command line is refused with. */
function refusal(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (e) {
    expect(e).toBeInstanceOf(BenchInputError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('meshstage bench arguments', () => {
  it('takes meshperf flags with meshperf meanings', () => {
    const a = parse(
      'http://svc:8080/cart',
      '-c',
      '8',
      '-R',
      '500',
      '-d',
      '30s',
      '-m',
      'post',
      '-H',
      'Authorization: Bearer t',
      '--body',
      '{}',
      '--max-p99',
      '250ms',
      '--max-error-rate',
      '0.5%',
      '--min-rps',
      '450',
      '-o',
      'smp',
    );
    if (a === 'help' || a.source.kind !== 'flags') throw new Error('flags');
    expect(a.source.args.load).toMatchObject({
      targets: [
        {
          url: 'http://svc:8080/cart',
          method: 'POST',
          headers: { Authorization: 'Bearer t' },
          body: '{}',
        },
      ],
      connections: 8,
      rate: 500,
      durationMs: 30_000,
    });
    expect(a.thresholds).toEqual({
      maxP99Ms: 250,
      maxErrorRate: 0.005,
      minRps: 450,
    });
    expect(a.output).toBe('smp');
    expect(a.outputFile).toBeUndefined();
  });

  it('reads an error-rate threshold as a ratio or a percentage', () => {
    for (const [text, ratio] of [
      ['0.01', 0.01],
      ['1%', 0.01],
      ['0', 0],
    ] as const) {
      const a = parse('http://h/', '--max-error-rate', text);
      expect(a !== 'help' && a.thresholds.maxErrorRate).toBe(ratio);
    }
  });

  it('writes JSON to --output-file unless a format is asked for, resolved from the directory', () => {
    const a = parse('http://h/', '-n', '10', '--output-file', 'out/r.json');
    expect(a !== 'help' && [a.output, a.outputFile]).toEqual([
      'json',
      '/work/out/r.json',
    ]);
    const b = parse('http://h/', '--output-file=r.json', '--output=fortio');
    expect(b !== 'help' && [b.output, b.outputFile]).toEqual([
      'fortio',
      '/work/r.json',
    ]);
    const c = parse('http://h/', '-o', 'text', '--output-file', 'r.txt');
    expect(c !== 'help' && c.output).toBe('text');
  });

  it('takes a profile with thresholds, output and labels', () => {
    const a = parse(
      '--profile',
      'perf/checkout.yaml',
      '--max-p99',
      '1s',
      '-o',
      'smp',
      '--labels',
      'mesh=istio',
    );
    expect(a).toEqual({
      source: {
        kind: 'profile',
        file: '/work/perf/checkout.yaml',
        labels: 'mesh=istio',
      },
      thresholds: { maxP99Ms: 1000 },
      output: 'smp',
    });
  });

  it('asks for help', () => {
    expect(parse('--help')).toBe('help');
    expect(parse('-h')).toBe('help');
    expect(parse('--profile', 'p.yaml', '--help')).toBe('help');
  });

  it('refuses bad input with a one-line reason', () => {
    const cases: [string[], RegExp][] = [
      [[], /^nothing to run: give a target URL or --profile <file>/],
      [
        ['localhost:8080'],
        /^invalid URL "localhost:8080" \(include the scheme/,
      ],
      [['http://h/', '-c', 'many'], /^invalid connections "many"/],
      [['http://h/', '-d', '10 parsecs'], /^invalid duration "10 parsecs"/],
      [['http://h/', '-d', '5s', '-n', '10'], /^use either --duration/],
      [['http://h/', '--max-p99', 'fast'], /^invalid duration "fast"/],
      [['http://h/', '--max-error-rate', '150%'], /above 100%/],
      [['http://h/', '--max-error-rate', 'some'], /^invalid percentage/],
      [['http://h/', '-o', 'xml'], /^unknown output "xml"/],
      [['http://h/', '--bogus'], /^Unknown option '--bogus'/],
      [['http://h/', '--output-file'], /^--output-file needs a file$/],
      [['--profile'], /^--profile needs a file$/],
      [['--profile', '--max-p99'], /^--profile needs a file$/],
      [
        ['--profile', 'p.yaml', '-c', '3'],
        /^Unknown option '-c': with --profile the profile sets the load/,
      ],
      [
        ['--profile', 'p.yaml', 'http://h/'],
        /^give either target URLs or --profile, not both/,
      ],
      [['--profile', 'p.yaml', '--max-p99', 'soon'], /^invalid duration/],
    ];
    for (const [argv, reason] of cases) {
      const message = refusal(...argv);
      expect(message).toMatch(reason);
      expect(message).not.toContain('\n');
      // meshstage's own words, not meshperf's.
      expect(message).not.toMatch(/meshperf <url>/);
    }
  });
});
