import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Issue 17, "Hostile input", for `meshperf`: the real bin given flags and files a careless or
// hostile user could give. Each must end with exit code 2 and one line on stderr naming the
// problem (never a stack trace), before any request is sent. Node start-ups (from sources when
// the bundle is stale) take seconds on a loaded machine.
jest.setTimeout(120_000);

const BIN = path.resolve(__dirname, '../bin/meshperf');
// The discard port: nothing listens, and no case gets as far as connecting.
const URL = 'http://127.0.0.1:9/';

let dir: string;

function meshperf(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.INIT_CWD;
  delete env.PROJECT_CWD;
  delete env.MESHPERF_RESOLVE;
  return new Promise(done => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => (stdout += c));
    child.stderr.on('data', c => (stderr += c));
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshperf-hostile-'));
  fs.mkdirSync(path.join(dir, 'a-directory'));
  fs.writeFileSync(path.join(dir, 'body.json'), '{}');
  // Sparse: over the limit without writing the bytes.
  fs.writeFileSync(path.join(dir, 'huge-body'), '');
  fs.truncateSync(path.join(dir, 'huge-body'), 65 * 1024 * 1024);
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const cases: Array<{ name: string; args: string[]; says: RegExp }> = [
  { name: 'no target', args: [], says: /missing target URL/ },
  {
    name: 'an unknown flag',
    args: [URL, '--bogus'],
    says: /Unknown option '--bogus' \(--help for usage\)/,
  },
  {
    name: 'an unknown short flag',
    args: [URL, '-Z'],
    says: /Unknown option '-Z'/,
  },
  {
    name: 'a flag without its value',
    args: [URL, '-d'],
    says: /Option '-d, --duration <value>' argument missing/,
  },
  {
    name: 'a value given to a boolean flag',
    args: [URL, '--http2=yes'],
    says: /Option '--http2' does not take an argument/,
  },
  {
    name: 'a non-number -c',
    args: [URL, '-c', 'abc'],
    says: /invalid connections "abc" \(expected a whole number\)/,
  },
  {
    name: 'zero connections',
    args: [URL, '-c', '0'],
    says: /connections must be at least 1/,
  },
  {
    name: 'connections in exponent form',
    args: [URL, '-c', '1e9'],
    says: /invalid connections "1e9" \(expected a whole number\)/,
  },
  {
    name: 'a negative duration taken for a flag',
    args: [URL, '-d', '-5s'],
    says: /-d needs a value; a value starting with '-' must be attached: --duration=<value>/,
  },
  {
    name: 'a negative duration',
    args: [URL, '--duration=-5s'],
    says: /invalid duration "-5s"/,
  },
  {
    name: 'a zero duration',
    args: [URL, '-d', '0s'],
    says: /duration must be positive/,
  },
  {
    name: 'a duration longer than a timer can wait',
    args: [URL, '-d', '999999h'],
    says: /duration "999999h" is too long \(at most 24 days\)/,
  },
  {
    name: 'a warm-up longer than a timer can wait',
    args: [URL, '-n', '1', '--warmup', '99999999h'],
    says: /duration "99999999h" is too long/,
  },
  {
    name: 'a duration without a unit it knows',
    args: [URL, '-d', '5 fortnights'],
    says: /invalid duration "5 fortnights"/,
  },
  {
    name: 'an infinite rate',
    args: [URL, '--rate', '1e999'],
    says: /invalid rate "1e999" \(expected a number\)/,
  },
  { name: 'a NaN rate', args: [URL, '-R', 'NaN'], says: /invalid rate "NaN"/ },
  {
    name: 'a negative rate taken for a flag',
    args: [URL, '-R', '-1'],
    says: /-R needs a value; a value starting with '-' must be attached: --rate=<value>/,
  },
  {
    name: 'a request count beyond exact numbers',
    args: [URL, '-n', '99999999999999999999'],
    says: /request count "99999999999999999999" is too large/,
  },
  {
    name: 'a pipelining depth in exponent form',
    args: [URL, '--pipelining', '1e6'],
    says: /invalid pipelining "1e6"/,
  },
  {
    name: 'both a duration and a count',
    args: [URL, '-d', '1s', '-n', '5'],
    says: /use either --duration \(-d\) or --requests \(-n\), not both/,
  },
  {
    name: 'both --body and --body-file',
    args: [URL, '--body', 'x', '--body-file', 'body.json'],
    says: /use either --body or --body-file, not both/,
  },
  {
    name: 'jitter without a rate',
    args: [URL, '--jitter', '10%'],
    says: /--jitter needs a constant rate \(-R\)/,
  },
  {
    name: 'jitter above 50%',
    args: [URL, '-R', '10', '--jitter', '60%'],
    says: /jitter must be at most 50%/,
  },
  {
    name: 'a percentage above 100',
    args: [URL, '--max-error-rate', '500%'],
    says: /percentage "500%" is above 100%/,
  },
  {
    name: 'a threshold that is not a duration',
    args: [URL, '--max-p99', 'fast'],
    says: /invalid duration "fast"/,
  },
  {
    name: 'too few weights',
    args: [URL, URL, '--weights', '1'],
    says: /--weights has 1 value\(s\) for 2 URL\(s\)/,
  },
  {
    name: 'all-zero weights',
    args: [URL, '--weights', '0'],
    says: /--weights must not all be zero/,
  },
  {
    name: 'an unknown engine',
    args: [URL, '--engine', 'curl'],
    says: /unknown engine "curl" \(use undici or net\)/,
  },
  {
    name: 'the net engine with HTTP/2',
    args: [URL, '--engine', 'net', '--http2'],
    says: /--engine net speaks plain HTTP\/1\.1 only, not HTTP\/2/,
  },
  {
    name: 'an unknown output format',
    args: [URL, '-o', 'xml'],
    says: /unknown output "xml"/,
  },
  {
    name: 'a method with a space',
    args: [URL, '-m', 'GE T'],
    says: /invalid method "GE T"/,
  },
  {
    name: 'a CR LF in a header value',
    args: [URL, '-n', '1', '-H', 'a: b\r\nx: y'],
    says: /invalid header "a": the value contains a line break or NUL \(CR, LF and NUL are refused\)/,
  },
  {
    name: 'a LF in a header value',
    args: [URL, '-n', '1', '-H', 'a: b\nGET /admin HTTP/1.1'],
    says: /invalid header "a": the value contains a line break/,
  },
  {
    name: 'a header name that is not a token',
    args: [URL, '-H', 'bad name: v'],
    says: /invalid header name "bad name"/,
  },
  {
    name: 'a header without a colon',
    args: [URL, '-H', 'nocolon'],
    says: /invalid header "nocolon" \(use 'Name: value'\)/,
  },
  {
    name: 'a URL with credentials',
    args: ['http://user:secret@127.0.0.1:9/', '-n', '1'],
    says: /URL http:\/\/\*\*\*@127\.0\.0\.1:9\/ carries credentials; send them in a header/,
  },
  {
    name: 'a link-local target with --deny-link-local',
    args: [
      'http://169.254.169.254/latest/meta-data/',
      '-n',
      '1',
      '--deny-link-local',
    ],
    says: /target http:\/\/169\.254\.169\.254\/latest\/meta-data\/ is refused: 169\.254\.169\.254 is link-local/,
  },
  {
    name: 'an IPv6 link-local target with --deny-link-local',
    args: ['http://[fe80::1]/', '-n', '1', '--deny-link-local'],
    says: /is refused: fe80::1 is link-local/,
  },
  {
    name: 'a link-local address in decimal with --deny-link-local',
    args: ['http://2852039166/', '-n', '1', '--deny-link-local'],
    says: /is refused: 169\.254\.169\.254 is link-local/,
  },
  {
    name: 'a URL without a scheme',
    args: ['127.0.0.1:9', '-n', '1'],
    says: /invalid URL "127\.0\.0\.1:9" \(include the scheme/,
  },
  {
    name: 'a file: URL',
    args: ['file:///etc/passwd', '-n', '1'],
    says: /unsupported URL scheme "file:"/,
  },
  {
    name: 'a URL that does not parse',
    args: ['http://exa mple.com/', '-n', '1'],
    says: /invalid URL "http:\/\/exa mple\.com\/"/,
  },
  {
    name: 'a URL over the length limit',
    args: [`${URL}${'a'.repeat(9000)}`, '-n', '1'],
    says: /URL is 9019 characters long, over the limit of 8192/,
  },
  {
    name: 'a bad gRPC target',
    args: ['http://x/y/z', '--grpc-health'],
    says: /invalid gRPC target "http:\/\/x\/y\/z"/,
  },
  {
    name: 'a bad gRPC method',
    args: ['127.0.0.1:9', '--grpc-method', 'nomethod'],
    says: /invalid gRPC method "nomethod" \(use \/package\.Service\/Method\)/,
  },
  {
    name: 'a --body-file that does not exist',
    args: [URL, '-n', '1', '--body-file', 'none'],
    says: /cannot read --body-file .*none: ENOENT/,
  },
  {
    name: 'a --body-file that is a directory',
    args: [URL, '-n', '1', '--body-file', 'a-directory'],
    says: /cannot read --body-file .*a-directory: EISDIR/,
  },
  {
    name: 'a --body-file over the size limit',
    args: [URL, '-n', '1', '--body-file', 'huge-body'],
    says: /--body-file .*huge-body is 65\.0MiB, over the limit of 64\.0MiB/,
  },
  {
    name: 'a --body-file path traversal to nothing',
    args: [URL, '-n', '1', '--body-file', '../../../../../no/such/file'],
    says: /cannot read --body-file \/no\/such\/file: ENOENT/,
  },
  {
    name: 'a --cacert that is a directory',
    args: [URL, '-n', '1', '--cacert', 'a-directory'],
    says: /cannot read --cacert .*a-directory: EISDIR/,
  },
  {
    name: 'a bad --resolve',
    args: [URL, '-n', '1', '--resolve', 'nonsense'],
    says: /invalid --resolve "nonsense"/,
  },
  {
    name: 'a server port out of range',
    args: ['server', '--port', '70000'],
    says: /^meshperf server: invalid port "70000": want a number from 0 to 65535/,
  },
];

describe('meshperf hostile input', () => {
  it.each(cases.map(c => [c.name, c] as const))('refuses %s', async (_, c) => {
    const before = fs.readdirSync(dir).sort();
    const r = await meshperf(c.args);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^meshperf(?: server)?: [^\n]*\n$/),
    });
    expect(r.stderr).toMatch(c.says);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });
});
