import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Issue 17, "Hostile input", for `meshstage`: the real bin as a pipeline runs it, given flags and
// files a careless or hostile user could give. Each must end with exit code 2 and one line on
// stderr naming the problem (never a stack trace), and write nothing. Node start-ups (from
// sources when the bundle is stale) take seconds on a loaded machine.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'packages/cli/bin/meshstage');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;

function meshstage(args: string[]): Promise<Ran> {
  const env = { ...process.env };
  delete env.INIT_CWD;
  delete env.PROJECT_CWD;
  delete env.npm_package_name;
  return new Promise(done => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => (stdout += c));
    child.stderr.on('data', c => (stderr += c));
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Nine levels of nine aliases each: 387 million strings if expanded. */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'
    .split('')
    .map(
      (n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`,
    ),
].join('\n');

const DEEP = 100_000;
const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  key: value
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshstage-hostile-'));
  const write = (name: string, content: string | Buffer) =>
    fs.writeFileSync(path.join(dir, name), content);
  write('ok.yaml', MANIFEST);
  write('bomb.yaml', ALIAS_BOMB);
  write('deep.yaml', `a: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`);
  write('deep.json', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`);
  // "x\xff\xfe" in a name: not UTF-8; kubectl refuses such a file.
  write(
    'bad-utf8.yaml',
    Buffer.concat([
      Buffer.from(MANIFEST.replace('name: settings', 'name: x')),
      Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]),
    ]),
  );
  write('nul.yaml', MANIFEST.replace('value', 'va\0lue'));
  fs.mkdirSync(path.join(dir, 'a-directory.yaml'));
  // Sparse files: over the limits without writing the bytes.
  fs.truncateSync(
    (write('huge.yaml', ''), path.join(dir, 'huge.yaml')),
    17 * 1024 * 1024,
  );
  fs.truncateSync(
    (write('huge-profile.yaml', ''), path.join(dir, 'huge-profile.yaml')),
    2 * 1024 * 1024,
  );
  fs.truncateSync(
    (write('huge-body', ''), path.join(dir, 'huge-body')),
    65 * 1024 * 1024,
  );
  write('profile-bomb.yaml', ALIAS_BOMB);
  write('profile-deep.yaml', `name: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`);
  write(
    'profile-bad-utf8.yaml',
    Buffer.concat([Buffer.from('name: a'), Buffer.from([0xc3, 0x28, 0x0a])]),
  );
  write('profile-array.json', '[1,2,3]');
  write('profile-wrong-type.yaml', 'name: 42\nendpoints: nope\n');
  write(
    'profile-extra.yaml',
    'name: p\nendpoints: [{url: "http://127.0.0.1:9/"}]\nrm -rf: yes\n',
  );
  write(
    'profile-in-cluster.yaml',
    'name: p\nendpoints: [{url: "http://127.0.0.1:9/"}]\ninCluster: {cluster: dev}\n',
  );
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  args: string[];
  /** What the one line on stderr must say. */
  says: RegExp;
  /** Files the command must not leave behind. */
  writesNot?: string[];
}

const URL = 'http://127.0.0.1:9/';

const validateCases: Case[] = [
  {
    name: 'an unknown flag',
    args: ['--bogus', 'ok.yaml'],
    says: /unknown option --bogus/,
  },
  {
    name: 'a flag without its value',
    args: ['ok.yaml', '--format'],
    says: /--format needs a value/,
  },
  {
    name: 'a flag followed by another flag',
    args: ['ok.yaml', '--cluster', '--format', 'json'],
    says: /--cluster needs a value/,
  },
  {
    name: 'an unknown format',
    args: ['ok.yaml', '--format', 'xml'],
    says: /--format must be text, json or sarif, not "xml"/,
  },
  {
    name: 'an unknown --fail-on level',
    args: ['ok.yaml', '--fail-on', '7'],
    says: /--fail-on must be error, warning, info or never, not "7"/,
  },
  {
    name: 'an empty --suppress',
    args: ['ok.yaml', '--suppress', ''],
    says: /--suppress needs a code/,
  },
  { name: 'nothing to validate', args: [], says: /nothing to validate/ },
  {
    name: 'a file that does not exist',
    args: ['missing.yaml'],
    says: /cannot read missing\.yaml: no such file or directory/,
  },
  {
    name: 'path traversal to nothing',
    args: ['../../../../../../no/such/etc/passwd'],
    says: /cannot read \.\.\/\.\.\/.*no such file or directory/,
  },
  {
    name: 'a file name with a line break and an escape sequence',
    args: ['evil\n\u001b[2Jname.yaml'],
    says: /cannot read evil\\n\\u001b\[2Jname\.yaml: no such file/,
  },
  {
    name: 'a file over the size limit',
    args: ['huge.yaml'],
    says: /huge\.yaml is 17\.0 MiB, over the limit of 16\.0 MiB for one file/,
  },
  {
    name: 'a --mesh-config that does not exist',
    args: ['ok.yaml', '--mesh-config', 'none.yaml'],
    says: /--mesh-config: none\.yaml: ENOENT|cannot read --mesh-config: none\.yaml: ENOENT/,
  },
  {
    name: 'a --mesh-config that is a directory',
    args: ['ok.yaml', '--mesh-config', 'a-directory.yaml'],
    says: /a-directory\.yaml: it is a directory/,
  },
  {
    name: 'a --mesh-config over the size limit',
    args: ['ok.yaml', '--mesh-config', 'huge.yaml'],
    says: /huge\.yaml is 17\.0 MiB, over the limit/,
  },
  {
    name: 'a --mesh-config alias bomb',
    args: ['ok.yaml', '--mesh-config', 'bomb.yaml'],
    says: /--mesh-config bomb\.yaml: invalid YAML: Excessive alias count/,
  },
  {
    name: 'a --mesh-config nested too deep',
    args: ['ok.yaml', '--mesh-config', 'deep.yaml'],
    says: /--mesh-config deep\.yaml:1:\d+: invalid YAML: Maximum call stack size exceeded/,
  },
  {
    name: 'a --mesh-config with invalid UTF-8',
    args: ['ok.yaml', '--mesh-config', 'bad-utf8.yaml'],
    says: /--mesh-config bad-utf8\.yaml:8:3: byte 0xff is not valid UTF-8/,
  },
  {
    name: 'a --mesh-networks with a NUL byte',
    args: ['ok.yaml', '--mesh-networks', 'nul.yaml'],
    says: /--mesh-networks nul\.yaml:7:10: NUL byte/,
  },
  {
    name: 'a kubeconfig that is an alias bomb',
    args: ['--cluster', 'x', '--kubeconfig', 'bomb.yaml'],
    says: /cannot use cluster "x": /,
  },
  {
    name: 'a kubeconfig that is a directory',
    args: ['--cluster', 'x', '--kubeconfig', 'a-directory.yaml'],
    says: /cannot use cluster "x": /,
  },
];

const benchCases: Case[] = [
  {
    name: 'an unknown flag',
    args: [URL, '--bogus'],
    says: /Unknown option '--bogus'/,
  },
  {
    name: 'a non-number -c',
    args: [URL, '-c', 'abc'],
    says: /invalid connections "abc" \(expected a whole number\)/,
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
    name: 'an infinite rate',
    args: [URL, '--rate', '1e999'],
    says: /invalid rate "1e999" \(expected a number\)/,
  },
  {
    name: 'a request count beyond exact numbers',
    args: [URL, '-n', '99999999999999999999'],
    says: /request count "99999999999999999999" is too large/,
  },
  {
    name: 'a warm-up longer than a timer can wait',
    args: [URL, '-n', '1', '--warmup', '99999999h'],
    says: /duration "99999999h" is too long \(at most 24 days\)/,
  },
  {
    name: 'both a duration and a count',
    args: [URL, '-d', '1s', '-n', '5'],
    says: /use either --duration \(-d\) or --requests \(-n\), not both/,
  },
  {
    name: 'both --body and --body-file',
    args: [URL, '--body', 'x', '--body-file', 'ok.yaml'],
    says: /use either --body or --body-file, not both/,
  },
  {
    name: 'a CR LF in a header',
    args: [URL, '-n', '1', '-H', 'a: b\r\nx: y'],
    says: /invalid header "a": the value contains a line break or NUL/,
  },
  {
    name: 'a header without a colon',
    args: [URL, '-n', '1', '-H', 'nocolon'],
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
    name: 'a URL over the length limit',
    args: [`http://127.0.0.1:9/${'a'.repeat(9000)}`, '-n', '1'],
    says: /URL is 9019 characters long, over the limit of 8192/,
  },
  {
    name: 'a --body-file that does not exist',
    args: [URL, '-n', '1', '--body-file', 'none'],
    says: /cannot read --body-file .*none: ENOENT/,
  },
  {
    name: 'a --body-file that is a directory',
    args: [URL, '-n', '1', '--body-file', 'a-directory.yaml'],
    says: /cannot read --body-file .*a-directory\.yaml: EISDIR/,
  },
  {
    name: 'a --body-file over the size limit',
    args: [URL, '-n', '1', '--body-file', 'huge-body'],
    says: /--body-file .*huge-body is 65\.0MiB, over the limit of 64\.0MiB/,
  },
  {
    name: 'a --cacert that does not exist',
    args: [URL, '-n', '1', '--cacert', '../../../no/such/ca.pem'],
    says: /cannot read --cacert .*ca\.pem: ENOENT/,
  },
  {
    name: 'a bad --resolve',
    args: [URL, '-n', '1', '--resolve', 'nonsense'],
    says: /invalid --resolve "nonsense"/,
  },
  {
    name: 'an unknown output format',
    args: [URL, '-o', 'xml'],
    says: /unknown output "xml"/,
  },
  {
    name: 'a percentage above 100',
    args: [URL, '--max-error-rate', '500%'],
    says: /percentage "500%" is above 100%/,
  },
  {
    name: 'a --profile without a file',
    args: ['--profile'],
    says: /--profile needs a file/,
  },
  {
    name: 'a profile and a target URL',
    args: ['--profile', 'profile-extra.yaml', URL],
    says: /give either target URLs or --profile, not both/,
  },
  {
    name: 'a profile and a load flag',
    args: ['--profile', 'profile-extra.yaml', '-c', '5'],
    says: /Unknown option '-c': with --profile the profile sets the load/,
  },
  {
    name: 'a profile that does not exist',
    args: ['--profile', 'none.yaml'],
    says: /cannot read profile none\.yaml: ENOENT/,
  },
  {
    name: 'a profile that is a directory',
    args: ['--profile', 'a-directory.yaml'],
    says: /cannot read profile a-directory\.yaml: EISDIR/,
  },
  {
    name: 'a profile over the size limit',
    args: ['--profile', 'huge-profile.yaml'],
    says: /profile huge-profile\.yaml is 2\.0 MiB, over the limit of 1\.0 MiB/,
  },
  {
    name: 'a profile alias bomb',
    args: ['--profile', 'profile-bomb.yaml'],
    says: /profile-bomb\.yaml: not a valid profile: Excessive alias count/,
  },
  {
    name: 'a profile nested too deep',
    args: ['--profile', 'profile-deep.yaml'],
    says: /profile-deep\.yaml:1:\d+: not a valid profile: Maximum call stack size exceeded/,
  },
  {
    name: 'a profile with invalid UTF-8',
    args: ['--profile', 'profile-bad-utf8.yaml'],
    says: /profile-bad-utf8\.yaml:1:8: not a valid profile: byte 0xc3 is not valid UTF-8/,
  },
  {
    name: 'a profile that is a JSON array',
    args: ['--profile', 'profile-array.json'],
    says: /profile-array\.json: not a valid profile: expected a mapping/,
  },
  {
    name: 'a profile with wrong types',
    args: ['--profile', 'profile-wrong-type.yaml'],
    says: /profile-wrong-type\.yaml:1:1: profile field 'name': Expected string, received number/,
  },
  {
    name: 'a profile with an extra field',
    args: ['--profile', 'profile-extra.yaml'],
    says: /profile-extra\.yaml:3:1: profile field 'rm -rf': Unrecognized key/,
  },
  {
    name: 'an in-cluster profile',
    args: ['--profile', 'profile-in-cluster.yaml'],
    says: /profile field 'inCluster': meshstage bench sends the load from this machine/,
  },
  {
    name: 'an --output-file in a directory that does not exist',
    args: [URL, '-n', '1', '--output-file', 'no/such/dir/out.json'],
    says: /cannot write --output-file no\/such\/dir\/out\.json: no directory no\/such\/dir/,
    writesNot: ['no'],
  },
  {
    name: 'an --output-file that is a directory',
    args: [URL, '-n', '1', '--output-file', 'a-directory.yaml'],
    says: /cannot write --output-file a-directory\.yaml: it is a directory/,
  },
  {
    name: 'an --output-file with a bad profile',
    args: ['--profile', 'profile-bomb.yaml', '--output-file', 'out.json'],
    says: /not a valid profile/,
    writesNot: ['out.json'],
  },
];

const commandCases: Case[] = [
  {
    name: 'an unknown command',
    args: ['rm', '-rf', '/'],
    says: /unknown command "rm" \(try: meshstage --help\)/,
  },
  {
    name: 'a command name with a line break',
    args: ['validate\nbench'],
    says: /unknown command "validate\\nbench"/,
  },
];

/** Every file the case's directory holds, with its size, to see nothing was written. */
function listing(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${fs.statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

/** What a user sees of a run, and whether it wrote anything. */
async function outcome(args: string[], c: Case) {
  const before = listing();
  const r = await meshstage(args);
  return {
    code: r.code,
    oneLine: /^meshstage: [^\n]*\n$/.test(r.stderr),
    // The line itself when it does not say what it must, so a failure shows it.
    says: c.says.test(r.stderr) ? 'what it must' : r.stderr,
    stdout: r.stdout,
    written:
      JSON.stringify(listing()) !== JSON.stringify(before) ||
      (c.writesNot ?? []).some(f => fs.existsSync(path.join(dir, f))),
  };
}

const REFUSED = {
  code: 2,
  oneLine: true,
  says: 'what it must',
  stdout: '',
  written: false,
};

describe('meshstage hostile input', () => {
  it.each(commandCases.map(c => [c.name, c] as const))(
    'refuses %s',
    async (_, c) => expect(await outcome(c.args, c)).toEqual(REFUSED),
  );

  it.each(validateCases.map(c => [c.name, c] as const))(
    'validate refuses %s',
    async (_, c) =>
      expect(await outcome(['validate', ...c.args], c)).toEqual(REFUSED),
  );

  it.each(benchCases.map(c => [c.name, c] as const))(
    'bench refuses %s',
    async (_, c) =>
      expect(await outcome(['bench', ...c.args], c)).toEqual(REFUSED),
  );

  it('validates alias bombs and deep nesting in manifests as findings, without hanging', async () => {
    const r = await meshstage([
      'validate',
      'bomb.yaml',
      'deep.yaml',
      'deep.json',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const { findings } = JSON.parse(r.stdout);
    expect(
      findings.map((f: any) => [f.code, f.source.file, f.message]),
    ).toEqual([
      ['MS0001', 'bomb.yaml', expect.stringMatching(/Excessive alias count/)],
      ['MS0001', 'deep.json', expect.stringMatching(/Maximum call stack/)],
      ['MS0001', 'deep.yaml', expect.stringMatching(/Maximum call stack/)],
    ]);
  });

  it('reports invalid UTF-8 and NUL bytes in manifests per file, and still validates the rest', async () => {
    const r = await meshstage([
      'validate',
      'bad-utf8.yaml',
      'nul.yaml',
      'ok.yaml',
      '--format',
      'sarif',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout).runs[0].results;
    expect(
      results.map((x: any) => [
        x.ruleId,
        x.locations[0].physicalLocation.artifactLocation.uri,
        x.locations[0].physicalLocation.region.startLine,
        x.locations[0].physicalLocation.region.startColumn,
        x.message.text,
      ]),
    ).toEqual([
      [
        'MS0001',
        'bad-utf8.yaml',
        8,
        3,
        'Invalid YAML: byte 0xff is not valid UTF-8 (a manifest must be UTF-8 text without NUL bytes; the rest of the file is still validated)',
      ],
      [
        'MS0001',
        'nul.yaml',
        7,
        10,
        'Invalid YAML: NUL byte (a manifest must be UTF-8 text without NUL bytes; the rest of the file is still validated)',
      ],
    ]);
  });

  it('lets --suppress mark an encoding finding suppressed', async () => {
    const r = await meshstage([
      'validate',
      'bad-utf8.yaml',
      '--suppress',
      'MS0001',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const { findings } = JSON.parse(r.stdout);
    expect(findings.map((f: any) => [f.code, f.suppressed])).toEqual([
      ['MS0001', true],
    ]);
  });
});
