#!/usr/bin/env node
// `yarn test:e2e`: the browser tests. Builds the app (packages/app/dist) when its sources changed,
// starts the portal as `yarn start` does but lighter (the dev cluster, then the backend serving
// the built app on a free port; see e2e/portal.mjs) in a fresh state directory, drives Debian's
// Chromium (/usr/bin/chromium, or E2E_CHROMIUM) headless through playwright-core with one browser
// and one guest sign-in, runs the scenarios of e2e/scenarios.mjs, and ends every process it
// started. Screenshots go to docs/screenshots/e2e-*.png (E2E_SCREENSHOTS to change). Ends with
// "N passed, N failed"; exits 1 on any failure.
//
// The app is rebuilt when a file of packages/app, of a workspace package it depends on,
// app-config.yaml or yarn.lock is newer than its dist. E2E_SKIP_BUILD=1 serves packages/app/dist
// as it is; E2E_ONLY=<regular expression> runs only the scenarios whose name matches (each
// scenario sets up what it needs); E2E_KEEP_STATE=1 keeps the state directory (it is kept anyway
// when a check fails, with the backend and cluster logs in it).
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApi } from '../e2e/api.mjs';
import { startPortal, waitFor } from '../e2e/portal.mjs';
import { clusterFaults, scenarios as allScenarios } from '../e2e/scenarios.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const seconds = (t0 = started) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const log = line => console.log(`[e2e ${seconds()}] ${line}`);

const scenarios = process.env.E2E_ONLY
  ? allScenarios.filter(s => new RegExp(process.env.E2E_ONLY, 'i').test(s.name))
  : allScenarios;

const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const shotsDir = process.env.E2E_SCREENSHOTS
  ? join(process.cwd(), process.env.E2E_SCREENSHOTS)
  : join(root, 'docs/screenshots');
// Bounds the whole run, whatever hangs: the checks have their own, smaller limits.
const overallTimeoutMs = Number(process.env.E2E_TIMEOUT_MS ?? 15 * 60_000);

const stateDir = mkdtempSync(join(tmpdir(), 'meshstage-e2e-'));
let portal;
let browser;
let finishing = false;
let passed = 0; // checks that passed so far

async function cleanUp() {
  if (browser) {
    await Promise.race([
      browser.close().catch(() => {}),
      new Promise(r => setTimeout(r, 10_000)),
    ]);
  }
  if (portal) await portal.stop();
}

async function finish(passed, failed) {
  if (finishing) return;
  finishing = true;
  await cleanUp();
  if (failed === 0 && !process.env.E2E_KEEP_STATE) {
    rmSync(stateDir, { recursive: true, force: true });
  } else {
    console.log(
      `state kept in ${stateDir} (backend.log, kube-sim.log, failure screenshots)`,
    );
  }
  console.log(`browser tests took ${seconds()}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    console.error(`yarn test:e2e: ${signal}, stopping`);
    finishing = true;
    cleanUp().finally(() => process.exit(code));
  });
}
process.on('unhandledRejection', e => {
  console.error('yarn test:e2e: unhandled rejection:', e);
});
setTimeout(() => {
  if (finishing) return;
  console.error(
    `yarn test:e2e: still running after ${
      overallTimeoutMs / 1000
    } s, giving up`,
  );
  finish(passed, scenarios.length - passed);
}, overallTimeoutMs).unref();

/** Newest modification time under the paths (files and directories, recursively). */
function newestMtime(paths) {
  let newest = 0;
  const visit = p => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) {
        if (e !== 'node_modules' && e !== 'dist' && e !== 'dist-types')
          visit(join(p, e));
      }
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/** Directories of the workspace packages a package depends on, directly or not (its bundle's). */
function workspaceDependencies(dir) {
  const byName = new Map();
  for (const parent of ['packages', 'plugins', 'adapters']) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const e of readdirSync(base)) {
      const pkg = join(base, e, 'package.json');
      if (existsSync(pkg))
        byName.set(JSON.parse(readFileSync(pkg, 'utf8')).name, join(base, e));
    }
  }
  const found = new Set();
  const visit = d => {
    const { dependencies = {} } = JSON.parse(
      readFileSync(join(d, 'package.json'), 'utf8'),
    );
    for (const name of Object.keys(dependencies)) {
      const dep = byName.get(name);
      if (dep && !found.has(dep)) {
        found.add(dep);
        visit(dep);
      }
    }
  };
  visit(dir);
  return [...found];
}

function run(cmd, args, { cwd, logFile, timeoutMs }) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    child.stdout.on('data', d => out.push(d));
    child.stderr.on('data', d => out.push(d));
    const timer = setTimeout(() => {
      out.push(Buffer.from(`\n[killed after ${timeoutMs / 1000} s]\n`));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, timeoutMs);
    child.on('close', code => {
      clearTimeout(timer);
      writeFileSync(logFile, Buffer.concat(out));
      resolve(code ?? 1);
    });
  });
}

async function buildApp() {
  const appDir = join(root, 'packages/app');
  const built = join(appDir, 'dist/index.html');
  if (process.env.E2E_SKIP_BUILD && existsSync(built)) {
    log('app: E2E_SKIP_BUILD set, serving packages/app/dist as it is');
    return;
  }
  const sources = [
    join(appDir, 'src'),
    join(appDir, 'public'),
    join(appDir, 'package.json'),
    ...workspaceDependencies(appDir),
    join(root, 'app-config.yaml'),
    join(root, 'yarn.lock'),
  ];
  if (existsSync(built) && statSync(built).mtimeMs > newestMtime(sources)) {
    log('app: packages/app/dist is newer than its sources, not rebuilding');
    return;
  }
  const t0 = Date.now();
  log('app: building packages/app (backstage-cli package build)...');
  const logFile = join(stateDir, 'app-build.log');
  const code = await run(
    process.execPath,
    [
      join(root, 'node_modules/@backstage/cli/bin/backstage-cli'),
      'package',
      'build',
    ],
    { cwd: appDir, logFile, timeoutMs: 10 * 60_000 },
  );
  if (code !== 0) {
    console.log(
      readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'),
    );
    throw new Error(`the app build failed (exit ${code}); log: ${logFile}`);
  }
  log(`app: built in ${seconds(t0)}`);
}

async function main() {
  log(`state directory ${stateDir}`);
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: install Debian's (apt-get install -y chromium) or set E2E_CHROMIUM`,
    );
  }
  let t0 = Date.now();
  await buildApp();
  const buildTime = seconds(t0);

  t0 = Date.now();
  log('portal: starting the dev cluster and the backend...');
  portal = await startPortal({
    root,
    stateDir,
    log,
    timeoutMs: 240_000,
    clusterFaults,
  });
  const api = createApi(portal.baseUrl);
  await waitFor(
    'component:default/productpage in the catalog',
    () =>
      api.get('/api/catalog/entities/by-name/component/default/productpage'),
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
  log(`portal: ${portal.baseUrl} ready in ${seconds(t0)}`);

  t0 = Date.now();
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--disable-dev-shm-usage'],
    timeout: 60_000,
  });
  const viewport = { width: 1400, height: 1000 };
  const signIn = await browser.newContext({ viewport });
  const signInPage = await signIn.newPage();
  await signInPage.goto(portal.baseUrl, { timeout: 60_000 });
  await signInPage
    .getByRole('button', { name: 'Enter' })
    .click({ timeout: 60_000 });
  await signInPage
    .getByTestId('sidebar-root')
    .waitFor({ state: 'attached', timeout: 60_000 });
  const storageState = join(stateDir, 'storage-state.json');
  await signIn.storageState({ path: storageState });
  await signIn.close();
  log(
    `browser: Chromium ${browser.version()}, signed in as guest in ${seconds(
      t0,
    )}`,
  );
  mkdirSync(shotsDir, { recursive: true });

  const pageErrors = [];
  const newPage = async ({ theme = 'light' } = {}) => {
    const context = await browser.newContext({ viewport, storageState });
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(60_000);
    await context.addInitScript(
      t => window.localStorage.setItem('theme', t),
      theme,
    );
    const page = await context.newPage();
    page.on('pageerror', e => pageErrors.push(`page error: ${e.message}`));
    page.on('response', r => {
      if (r.status() >= 500) pageErrors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    page.once('close', () => context.close().catch(() => {}));
    return page;
  };

  const ctx = {
    baseUrl: portal.baseUrl,
    kubeconfig: portal.kubeconfig,
    /** restartBackend, freezeCluster, thawCluster (e2e/portal.mjs) */
    portal,
    api,
    page: await newPage(),
    newPage,
    log: line => log(`  ${line}`),
    /**
     * A screenshot into the screenshots directory, with the pointer out of the way. fullPage
     * grows the viewport to the page's height first (Playwright's own fullPage stitching leaves
     * the fixed sidebar short).
     */
    async screenshot(name, { fullPage = false, page = ctx.page } = {}) {
      await page.mouse.move(0, 0);
      if (fullPage) {
        const height = await page.evaluate(
          () => document.documentElement.scrollHeight,
        );
        await page.setViewportSize({
          width: viewport.width,
          height: Math.min(height, 4000),
        });
        await page.waitForTimeout(500); // charts re-measure on resize
      }
      try {
        await page.screenshot({ path: join(shotsDir, name) });
      } finally {
        if (fullPage) await page.setViewportSize(viewport);
      }
      log(`  screenshot ${relative(process.cwd(), join(shotsDir, name))}`);
    },
    /** A named setup step: its failure says which step failed. */
    async step(name, fn) {
      try {
        return await fn();
      } catch (e) {
        throw new Error(`${name}: ${e.message}`);
      }
    },
  };

  let failed = 0;
  for (const [i, s] of scenarios.entries()) {
    const t = Date.now();
    const label = `${i + 1}/${scenarios.length} ${s.name}`;
    log(`RUN  ${label}`);
    pageErrors.length = 0;
    let timer;
    try {
      await Promise.race([
        s.run(ctx),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(`did not finish within ${s.timeoutMs / 1000} s`),
              ),
            s.timeoutMs,
          );
        }),
      ]);
      passed++;
      log(`PASS ${label} (${seconds(t)})`);
    } catch (e) {
      failed++;
      const shot = join(stateDir, `failure-${i + 1}.png`);
      await ctx.page
        .screenshot({ path: shot, fullPage: true, timeout: 10_000 })
        .catch(() => {});
      log(`FAIL ${label} (${seconds(t)}): ${e.message.split('\n')[0]}`);
      console.log(`     screenshot of the failure: ${shot}`);
      for (const err of pageErrors.slice(0, 10))
        console.log(`     ${err.slice(0, 300)}`);
      // Whatever the failed check still does goes to a closed page; the next one starts afresh.
      await ctx.page.close().catch(() => {});
      ctx.page = await newPage();
    } finally {
      clearTimeout(timer);
    }
  }
  log(`timings: app build ${buildTime}, total ${seconds()}`);
  await finish(passed, failed);
}

main().catch(async e => {
  if (finishing) return; // stopped by a signal or the overall time limit, which report
  console.error(`yarn test:e2e: ${e.message ?? e}`);
  if (portal?.logs) {
    for (const file of Object.values(portal.logs)) {
      if (!existsSync(file)) continue;
      console.error(`--- last lines of ${file}`);
      console.error(
        readFileSync(file, 'utf8').split('\n').slice(-15).join('\n'),
      );
    }
  }
  console.log(
    `(${scenarios.length - passed} checks did not pass, counted as failed)`,
  );
  await finish(passed, scenarios.length - passed);
});
