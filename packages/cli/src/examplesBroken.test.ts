import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(ROOT, 'examples/broken');
const BIN = path.join(ROOT, 'packages/cli/bin/meshstage');

/** `code file:line` for every `# expect: MSxxxx[, MSyyyy]` comment in examples/broken. */
function plantedProblems(): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(EXAMPLES).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const lines = fs
      .readFileSync(path.join(EXAMPLES, name), 'utf8')
      .split('\n');
    lines.forEach((text, i) => {
      const m = /#\s*expect:\s*(MS\d{4}(?:\s*,\s*MS\d{4})*)/.exec(text);
      for (const code of m ? m[1].split(/\s*,\s*/) : []) {
        out.push(`${code} examples/broken/${name}:${i + 1}`);
      }
    });
  }
  return out.sort();
}

describe('examples/broken', () => {
  // The acceptance check of the validator: the shipped broken shop is reported by the real bin,
  // as CI would run it, with every planted problem at its line and nothing else.
  it('reports exactly the planted problems, each at its file and line', async () => {
    const env = { ...process.env };
    // Paths are printed relative to the user's directory; make that the repository root.
    delete env.INIT_CWD;
    delete env.PROJECT_CWD;
    delete env.npm_package_name;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [BIN, 'validate', EXAMPLES, '--format', 'sarif', '--fail-on', 'never'],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stderr).toBe('');
    const results: any[] = JSON.parse(stdout).runs[0].results;
    const reported = results
      .map(r => {
        const loc = r.locations[0].physicalLocation;
        return `${r.ruleId} ${loc.artifactLocation.uri}:${loc.region.startLine}`;
      })
      .sort();
    const planted = plantedProblems();
    expect(planted.length).toBeGreaterThanOrEqual(15);
    expect(reported).toEqual(planted);
    // None of them is hidden behind a suppression.
    expect(results.filter(r => r.suppressions?.length)).toEqual([]);
  }, 120_000);

  it('lists every planted problem in its README', () => {
    const readme = fs.readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');
    for (const p of plantedProblems()) {
      const [code, where] = p.split(' ');
      const file = where.replace('examples/broken/', '').split(':')[0];
      expect(readme).toMatch(new RegExp(`${file}.*${code}|${code}.*${file}`));
    }
  });
});
