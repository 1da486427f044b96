import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Issue 17, "Hostile input", for the `kube-sim` command: flags, --seed files, --faults specs and
// --state files a careless or hostile user could give. Each must end with exit code 2 and one
// line on stderr naming the problem (never a stack trace), before anything listens: no
// kubeconfig written, the state file unchanged.
jest.setTimeout(120_000);

const BIN = path.resolve(__dirname, '../bin/kube-sim');

let dir: string;

function kubeSim(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(done => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => (stdout += c));
    child.stderr.on('data', c => (stderr += c));
    // A case that wrongly starts the simulator would serve forever: stop it, and fail.
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', code => {
      clearTimeout(guard);
      done({ code, stdout, stderr });
    });
  });
}

const DEEP = 100_000;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sim-hostile-'));
  const write = (name: string, content: string | Buffer) =>
    fs.writeFileSync(path.join(dir, name), content);
  write(
    'bomb.yaml',
    [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'
        .split('')
        .map(
          (n, i) =>
            `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`,
        ),
    ].join('\n'),
  );
  write('deep.yaml', `a: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`);
  write('syntax.yaml', 'kind: [unclosed\n');
  fs.mkdirSync(path.join(dir, 'a-directory'));
  write('huge.yaml', '');
  fs.truncateSync(path.join(dir, 'huge.yaml'), 17 * 1024 * 1024);
  write('state-not-json.json', '{"version": 1, "items": [');
  write('state-other.json', '{"version": 2, "items": []}');
  write('state-binary.json', Buffer.from([0xff, 0xfe, 0x00, 0x01]));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const KC = ['--kubeconfig', 'kc.yaml'];
const START = ['--port', '0', ...KC];

const cases: Array<{ name: string; args: string[]; says: RegExp }> = [
  {
    name: 'an unknown flag',
    args: [...START, '--bogus'],
    says: /unknown flag: --bogus/,
  },
  {
    name: 'a flag without its value',
    args: ['--port'],
    says: /flag needs an argument: --port/,
  },
  {
    name: 'a flag followed by another flag',
    args: ['--port', '--kubeconfig', 'kc.yaml'],
    says: /flag needs an argument: --port/,
  },
  { name: 'no --port', args: KC, says: /missing required flag: --port/ },
  {
    name: 'no --kubeconfig',
    args: ['--port', '0'],
    says: /missing required flag: --kubeconfig/,
  },
  {
    name: 'a port that is not a number',
    args: ['--port', 'abc', ...KC],
    says: /invalid --port "abc": want a number from 0 to 65535/,
  },
  {
    name: 'a port out of range',
    args: ['--port', '99999', ...KC],
    says: /invalid --port "99999"/,
  },
  {
    name: 'a negative port',
    args: ['--port=-1', ...KC],
    says: /invalid --port "-1"/,
  },
  {
    name: 'a bad --server-version',
    args: [...START, '--server-version', '1.2'],
    says: /invalid --server-version "1\.2": want vX\.Y\.Z/,
  },
  {
    name: 'a bad --proxy-latency',
    args: [...START, '--proxy-latency', 'img=fast'],
    says: /invalid --proxy-latency "img=fast"/,
  },
  {
    name: 'a --local-image without a command',
    args: [...START, '--local-image', 'nginx'],
    says: /local-image/,
  },
  {
    name: 'a --faults chance above 1',
    args: [...START, '--faults', 'error500=2'],
    says: /invalid --faults: "error500=2": want a chance from 0 to 1/,
  },
  {
    name: 'a --faults latency without a unit',
    args: [...START, '--faults', 'latency=abc'],
    says: /invalid --faults: "latency=abc": want a duration with a unit/,
  },
  {
    name: 'empty --faults rules',
    args: [...START, '--faults', ';;;'],
    says: /invalid --faults: rule 1 of ";;;" is empty/,
  },
  {
    name: 'an unknown --faults key',
    args: [...START, '--faults', 'explode=1'],
    says: /invalid --faults: .*explode/,
  },
  {
    name: 'terminal --faults adding up to more than 1',
    args: [...START, '--faults', 'error500=0.7,error503=0.7'],
    says: /invalid --faults: /,
  },
  {
    name: 'a --faults with a line break',
    args: [...START, '--faults', 'error500=0.1\nerror503=0.1'],
    says: /invalid --faults: /,
  },
  {
    name: 'a --seed path that does not exist',
    args: [...START, '--seed', 'none'],
    says: /--seed path does not exist: .*none/,
  },
  {
    name: 'a --seed path traversal to nothing',
    args: [...START, '--seed', '../../../../../no/such/dir'],
    says: /--seed path does not exist: \/no\/such\/dir/,
  },
  {
    name: 'a --seed file over the size limit',
    args: [...START, '--seed', 'huge.yaml'],
    says: /--seed file .*huge\.yaml is 17\.0 MiB, over the limit of 16\.0 MiB/,
  },
  {
    name: 'a --seed alias bomb',
    args: [...START, '--seed', 'bomb.yaml'],
    says: /cannot start: Excessive alias count/,
  },
  {
    name: 'a --seed nested too deep',
    args: [...START, '--seed', 'deep.yaml'],
    says: /cannot start: .*deep\.yaml: Maximum call stack size exceeded/,
  },
  {
    name: 'a --seed that is not YAML',
    args: [...START, '--seed', 'syntax.yaml'],
    says: /cannot start: .*syntax\.yaml: /,
  },
  {
    name: 'a --state that is not JSON',
    args: [...START, '--state', 'state-not-json.json'],
    says: /--state .*state-not-json\.json is not a kube-sim state file: /,
  },
  {
    name: 'a --state of another version',
    args: [...START, '--state', 'state-other.json'],
    says: /cannot start: .*state-other\.json: not a kube-sim state file/,
  },
  {
    name: 'a --state of binary bytes',
    args: [...START, '--state', 'state-binary.json'],
    says: /--state .*state-binary\.json is not a kube-sim state file: /,
  },
  {
    name: 'a --state that is a directory',
    args: [...START, '--state', 'a-directory'],
    says: /--state .*a-directory is a directory, not a file/,
  },
  {
    name: 'a --kubeconfig that is a directory',
    args: ['--port', '0', '--kubeconfig', 'a-directory'],
    says: /--kubeconfig .*a-directory is a directory, not a file/,
  },
];

/** Every file in the directory with its contents, to see nothing was written or changed. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    out[name] = fs.statSync(p).isDirectory()
      ? 'directory'
      : `${fs.statSync(p).size} ${fs.statSync(p).mtimeMs}`;
  }
  return out;
}

describe('kube-sim hostile input', () => {
  it.each(cases.map(c => [c.name, c] as const))('refuses %s', async (_, c) => {
    const before = snapshot();
    const r = await kubeSim(c.args);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^kube-sim: [^\n]*\n$/),
    });
    expect(r.stderr).toMatch(c.says);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(snapshot()).toEqual(before);
  });
});
