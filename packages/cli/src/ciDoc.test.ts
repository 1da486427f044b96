import { startEchoServer, type EchoServer } from '@meshstage/loadgen';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

// docs/ci.md's GitHub Actions workflow and GitLab CI file, run as their runners would run them:
// the commands are read from the page, so the page and this test cannot drift apart. Steps that
// install the CLI or start the user's service are not run: `meshstage` is the built bin (the
// packed tarball's install is pack.test.ts's), and the service is an echo server started here.
// Each bench command sends 2,000 requests, from a bin that may run from sources: minutes on a
// loaded machine.
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'packages/cli/bin/meshstage');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/ci.md'), 'utf8');

/** The ```yaml block of the page whose first line names `file`. */
function docFile(file: string): any {
  const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1]);
  const block = blocks.find(b => b.startsWith(`# ${file}\n`));
  if (!block) throw new Error(`docs/ci.md has no yaml block for ${file}`);
  return parse(block);
}

/** Whether a shell command runs meshstage (not the step that installs it). */
const runsMeshstage = (command: string) =>
  /(^|[\s;&|(])meshstage (validate|bench)\b/.test(command);

let work: string;
let server: EchoServer;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'meshstage-ci-'));
  // `meshstage` on PATH is the repository's bin, run by this Node (22, as setup-node gives).
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, 'meshstage'),
    `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`,
    { mode: 0o755 },
  );
  server = await startEchoServer({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/**
 * A fresh checkout: a directory holding examples/broken where `deploy/` would be, so SARIF paths
 * come out relative to it as they would from a repository root.
 */
function checkout(): string {
  const dir = fs.mkdtempSync(path.join(work, 'checkout-'));
  fs.cpSync(
    path.join(ROOT, 'examples/broken'),
    path.join(dir, 'examples/broken'),
    {
      recursive: true,
    },
  );
  return dir;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a script with bash as both runners do (errexit, pipefail), `meshstage` on PATH. */
function shell(
  script: string,
  cwd: string,
  vars: Record<string, string>,
): Promise<Ran> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...vars,
    PATH: `${path.join(work, 'bin')}:${process.env.PATH}`,
  };
  // A runner is not inside yarn: the bin would read these as the user's directory.
  delete env.INIT_CWD;
  delete env.PROJECT_CWD;
  delete env.npm_package_name;
  return new Promise(done => {
    const child = spawn(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
      { cwd, env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => (stdout += c));
    child.stderr.on('data', c => (stderr += c));
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

const healthyUrl = () => `http://127.0.0.1:${server.port}/`;
const failingUrl = () => `http://127.0.0.1:${server.port}/?status=500`;

function expectSarifOfExamplesBroken(file: string) {
  expect(fs.existsSync(file)).toBe(true);
  const sarif = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(sarif.version).toBe('2.1.0');
  const results: any[] = sarif.runs[0].results;
  // examples/broken plants at least 15 problems (examplesBroken.test.ts checks each one).
  expect(results.length).toBeGreaterThanOrEqual(15);
  for (const r of results) {
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(
      /^examples\/broken\/[^/]+\.ya?ml$/,
    );
  }
}

/** An SMP result of `requests` requests to the echo server, all with `status`. */
function expectSmp(file: string, requests: number, status: number) {
  expect(fs.existsSync(file)).toBe(true);
  const smp = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(Object.keys(smp.latencies_ms).sort()).toEqual(
    ['average', 'max', 'min', 'p50', 'p90', 'p99'].sort(),
  );
  expect(smp.config.clients[0].endpoint_urls[0]).toMatch(
    new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/`),
  );
  expect(smp.detailed_results).toMatchObject({
    requests_total: requests,
    [`status_${status}`]: requests,
  });
}

describe('docs/ci.md: GitHub Actions', () => {
  const workflow = docFile('.github/workflows/mesh-gates.yml');

  /** The `run:` commands of a job that call meshstage, and the job's and steps' env. */
  function meshstageSteps(
    job: string,
  ): { run: string; env: Record<string, string> }[] {
    const steps: any[] = workflow.jobs[job].steps;
    return steps
      .filter(s => typeof s.run === 'string' && runsMeshstage(s.run))
      .map(s => ({
        run: s.run,
        env: { ...workflow.env, ...workflow.jobs[job].env, ...s.env },
      }));
  }

  function uploadStep(job: string, action: string): any {
    const steps: any[] = workflow.jobs[job].steps;
    const step = steps.find(s => String(s.uses).startsWith(`${action}@`));
    expect(step).toBeDefined();
    // It must run after the gate step failed, or a failing gate would hide its own report.
    expect(step.if).toMatch(/failure\(\)|always\(\)/);
    return step;
  }

  async function runJob(
    job: string,
    cwd: string,
    vars: Record<string, string>,
  ) {
    const steps = meshstageSteps(job);
    expect(steps.length).toBeGreaterThan(0);
    const results: Ran[] = [];
    for (const step of steps) {
      // Each step runs in its own shell; the first failing step fails the job.
      const ran = await shell(step.run, cwd, { ...step.env, ...vars });
      results.push(ran);
      if (ran.code !== 0) break;
    }
    return results[results.length - 1];
  }

  it('validate: fails the job on examples/broken and leaves the SARIF the upload step sends', async () => {
    expect(workflow.jobs.validate.env.MANIFESTS).toBeDefined();
    expect(workflow.jobs.validate.permissions['security-events']).toBe('write');
    const dir = checkout();
    const ran = await runJob('validate', dir, {
      MANIFESTS: 'examples/broken',
    });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(1);
    const upload = uploadStep('validate', 'github/codeql-action/upload-sarif');
    expectSarifOfExamplesBroken(path.join(dir, upload.with.sarif_file));
  });

  it('bench: passes against a healthy service and keeps the SMP result', async () => {
    expect(workflow.jobs.bench.env.BENCH_URL).toBeDefined();
    const dir = checkout();
    const ran = await runJob('bench', dir, { BENCH_URL: healthyUrl() });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    // The job log gets the text summary.
    expect(ran.stdout).toMatch(/^Requests +2,000 in .* 0 failed \(0\.00%\)$/m);
    const upload = uploadStep('bench', 'actions/upload-artifact');
    expectSmp(path.join(dir, upload.with.path), 2000, 200);
  });

  it('bench: fails the job when the service answers 500s, naming the threshold', async () => {
    const dir = checkout();
    const ran = await runJob('bench', dir, { BENCH_URL: failingUrl() });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe(
      'meshstage: threshold --max-error-rate 1% broken: measured error rate 100% (2000 of 2000)\n',
    );
    // The evidence is still written for the upload step.
    const upload = uploadStep('bench', 'actions/upload-artifact');
    expectSmp(path.join(dir, upload.with.path), 2000, 500);
  });
});

describe('docs/ci.md: GitLab CI', () => {
  const pipeline = docFile('.gitlab-ci.yml');

  async function runJob(
    name: string,
    cwd: string,
    vars: Record<string, string>,
  ) {
    const job = pipeline[name];
    const lines: string[] = job.script;
    expect(lines.some(runsMeshstage)).toBe(true);
    // A job's script lines run in one shell, stopping at the first failure.
    return shell(lines.join('\n'), cwd, {
      ...pipeline.variables,
      ...job.variables,
      ...vars,
    });
  }

  /** The job keeps its artifacts when it fails, and each of them exists. */
  function expectArtifacts(name: string, dir: string): string[] {
    const artifacts = pipeline[name].artifacts;
    expect(artifacts.when).toBe('always');
    const files = (artifacts.paths as string[]).map(p => path.join(dir, p));
    for (const f of files) expect(fs.existsSync(f)).toBe(true);
    return files;
  }

  it('mesh-validate: fails on examples/broken and keeps the SARIF as an artifact', async () => {
    expect(pipeline['mesh-validate'].variables.MANIFESTS).toBeDefined();
    const dir = checkout();
    const ran = await runJob('mesh-validate', dir, {
      MANIFESTS: 'examples/broken',
    });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(1);
    const [sarif] = expectArtifacts('mesh-validate', dir);
    expectSarifOfExamplesBroken(sarif);
  });

  it('mesh-bench: passes against a healthy service, fails against one answering 500s', async () => {
    expect(pipeline['mesh-bench'].variables.BENCH_URL).toBeDefined();
    const ok = checkout();
    const passed = await runJob('mesh-bench', ok, { BENCH_URL: healthyUrl() });
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    const [smp] = expectArtifacts('mesh-bench', ok);
    expectSmp(smp, 2000, 200);

    const bad = checkout();
    const failed = await runJob('mesh-bench', bad, {
      BENCH_URL: failingUrl(),
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^meshstage: threshold --max-error-rate 1% broken: measured error rate 100% \(2000 of 2000\)\n$/,
    );
    expectSmp(expectArtifacts('mesh-bench', bad)[0], 2000, 500);
  });
});
