// The portal for the browser tests, started as `./yarnw start` starts it (scripts/dev.mjs): the
// development cluster (kube-sim seeded from examples/cluster, with meshstage/echo and
// meshstage/loadgen as local processes), then the Backstage backend pointed at it. The backend
// serves the built app (packages/app/dist) on its own port, so no 1.4 GB dev server runs.
//
// Everything lives in a fresh state directory (its own SQLite files, cluster state and
// kubeconfig): the developer's .meshstage/ is never read or written. Each process runs in its own
// process group, and stop() ends every group, including the ones kube-sim's local pods run in.
// restartBackend() kills the backend's group alone and starts it again on the same port and
// SQLite files (a crashed instance); freezeCluster()/thawCluster() stop and continue kube-sim
// (SIGSTOP/SIGCONT), so the backend's requests to the cluster hang meanwhile.
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A free loopback TCP port (the kernel's choice). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Runs fn until it returns a truthy value, at most timeoutMs; throws the last error or `what`. */
export async function waitFor(what, fn, { timeoutMs, intervalMs = 500 }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e?.fatal) throw e;
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${
          last ? ` (last error: ${last.message ?? last})` : ''
        }`,
      );
    }
    await sleep(intervalMs);
  }
}

/** Pids whose parent is `pid` (from /proc). */
function childPids(pid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pgid) {
  return killGroup(pgid, 0);
}

/**
 * Starts kube-sim and the backend. Returns { baseUrl, kubeconfig, logs, stop, restartBackend,
 * freezeCluster, thawCluster }. `log` prints a progress line. `clusterFaults`, when given, is
 * kube-sim's `--faults` spec for the whole run (the scenarios' `clusterFaults`).
 */
export async function startPortal({
  root,
  stateDir,
  log,
  timeoutMs,
  clusterFaults,
}) {
  const node = process.execPath;
  const groups = []; // { name, pid }
  const logs = {
    cluster: join(stateDir, 'kube-sim.log'),
    backend: join(stateDir, 'backend.log'),
  };
  let stopped = false;
  let frozen = false;
  /** Process groups killed on purpose (restartBackend): their exit is expected. */
  const killed = new Set();

  const startProcess = (name, args, opts) => {
    const out = createWriteStream(logs[name], { flags: 'a' });
    const child = spawn(node, args, {
      ...opts,
      detached: true, // its own process group, ended as a whole by stop()
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    groups.push({ name, pid: child.pid });
    child.stderr.pipe(out);
    child.exited = new Promise(r => child.once('exit', r));
    child.on('exit', (code, signal) => {
      if (!stopped && !killed.has(child.pid))
        log(
          `${name} exited early (code ${code}, signal ${signal}); log: ${logs[name]}`,
        );
    });
    return { child, out };
  };

  /** Ends every process group: SIGTERM, then SIGKILL after graceMs. */
  const stop = async (graceMs = 8000) => {
    if (stopped) return;
    stopped = true;
    // kube-sim runs each local pod (echo servers, load generators) in a group of its own; it ends
    // them on SIGTERM, and these are killed below too in case it cannot.
    const sim = groups.find(g => g.name === 'cluster');
    const podGroups = sim ? childPids(sim.pid) : [];
    // A stopped kube-sim (freezeCluster) would not act on SIGTERM.
    if (sim && frozen) killGroup(sim.pid, 'SIGCONT');
    for (const g of [...groups].reverse()) killGroup(g.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && groups.some(g => groupAlive(g.pid))) {
      await sleep(100);
    }
    for (const pgid of [...groups.map(g => g.pid), ...podGroups]) {
      killGroup(pgid, 'SIGKILL');
    }
  };

  try {
    // 1. the development cluster, as scripts/dev.mjs starts it
    const kubeconfig = join(stateDir, 'dev-kubeconfig');
    const meshperf = join(root, 'packages/loadgen/bin/meshperf');
    const { child: sim, out: simOut } = startProcess(
      'cluster',
      [
        join(root, 'packages/kube-sim/bin/kube-sim'),
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--seed',
        join(root, 'examples/cluster'),
        '--state',
        join(stateDir, 'dev-cluster.json'),
        '--local-image',
        `meshstage/loadgen=${JSON.stringify({ command: [node, meshperf] })}`,
        '--local-image',
        `meshstage/echo=${JSON.stringify({
          command: [node, meshperf],
          args: ['server'],
        })}`,
        ...(clusterFaults ? ['--faults', clusterFaults] : []),
      ],
      { cwd: root, env: { ...process.env, INIT_CWD: root } },
    );
    const lines = createInterface({ input: sim.stdout });
    const clusterUrl = await Promise.race([
      new Promise(resolve => lines.once('line', resolve)),
      sim.exited.then(() => {
        throw new Error(`the dev cluster did not start; log: ${logs.cluster}`);
      }),
      sleep(timeoutMs).then(() => {
        throw new Error(
          `the dev cluster did not start within ${timeoutMs / 1000} s`,
        );
      }),
    ]);
    lines.on('line', l => simOut.write(`${l}\n`));
    const kc = readFileSync(kubeconfig, 'utf8');
    const token = kc.match(/token:\s*(\S+)/)?.[1];
    const caData = kc.match(/certificate-authority-data:\s*(\S+)/)?.[1];
    log(`dev cluster: ${clusterUrl} (kubeconfig ${kubeconfig})`);

    // 2. the backend, serving the built app on a free port, with SQLite files in the state dir
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const config = join(stateDir, 'app-config.e2e.yaml');
    writeFileSync(
      config,
      [
        '# written by scripts/test-e2e.mjs: the portal of one browser-test run',
        'app:',
        `  baseUrl: ${baseUrl}`,
        'backend:',
        `  baseUrl: ${baseUrl}`,
        '  listen:',
        `    port: ${port}`,
        '  cors:',
        `    origin: ${baseUrl}`,
        '  database:',
        '    client: better-sqlite3',
        '    connection:',
        `      directory: ${JSON.stringify(join(stateDir, 'sqlite'))}`,
        // A running operation of a killed backend (restartBackend) is marked interrupted at the
        // next start when its heartbeat is older than this (the default is a minute).
        'mesh:',
        '  operations:',
        '    interruptAfter:',
        '      seconds: 5',
        '',
      ].join('\n'),
    );
    const backendDir = join(root, 'packages/backend');
    /** Starts the backend and waits until it is ready. */
    const startBackend = async () => {
      const { child: backend, out: backendOut } = startProcess(
        'backend',
        [
          '--enable-source-maps',
          '--require',
          join(
            root,
            'node_modules/@backstage/cli-node/config/nodeTransform.cjs',
          ),
          'src/index',
          '--config',
          join(root, 'app-config.yaml'),
          '--config',
          config,
        ],
        {
          cwd: backendDir,
          env: {
            ...process.env,
            NODE_ENV: 'development',
            ESBK_TSCONFIG_PATH: join(root, 'tsconfig.json'),
            MESHSTAGE_DEV_CLUSTER_URL: clusterUrl,
            MESHSTAGE_DEV_CLUSTER_TOKEN: token,
            MESHSTAGE_DEV_CLUSTER_CA_DATA: caData,
          },
        },
      );
      backend.stdout.pipe(backendOut);
      let backendExited = false;
      backend.exited.then(() => (backendExited = true));
      await waitFor(
        `the backend on ${baseUrl}`,
        async () => {
          if (backendExited) {
            throw Object.assign(
              new Error(`the backend exited; log: ${logs.backend}`),
              { fatal: true },
            );
          }
          const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`, {
            signal: AbortSignal.timeout(5000),
          });
          return res.ok;
        },
        { timeoutMs, intervalMs: 500 },
      );
      return backend;
    };
    let backend = await startBackend();

    const simGroup = groups.find(g => g.name === 'cluster');
    /** Stops kube-sim (SIGSTOP): requests to the cluster hang until thawCluster(). */
    const freezeCluster = () => {
      if (!killGroup(simGroup.pid, 'SIGSTOP')) {
        throw new Error('kube-sim is gone: cannot stop it');
      }
      frozen = true;
    };
    /** Lets a frozen kube-sim continue (SIGCONT). */
    const thawCluster = () => {
      killGroup(simGroup.pid, 'SIGCONT');
      frozen = false;
    };

    /**
     * Kills the backend's process group alone (`signal`, SIGKILL by default: no shutdown hooks
     * run, as in a crash) and starts the backend again on the same port, configuration and
     * SQLite files; resolves once it is ready again. A cluster frozen by freezeCluster() is
     * thawed once the old backend is gone and before the new one starts: requests the old one
     * had sent may still be carried out then, but it never learns of them (as when a process
     * dies mid-request).
     */
    const restartBackend = async ({ signal = 'SIGKILL' } = {}) => {
      const i = groups.findIndex(g => g.name === 'backend');
      const { pid } = groups[i];
      killed.add(pid);
      killGroup(pid, signal);
      await waitFor(
        `the backend (process group ${pid}) to end after ${signal}`,
        () => !groupAlive(pid),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      groups.splice(i, 1);
      await backend.exited;
      if (frozen) thawCluster();
      log(`backend killed (${signal}); starting it again on ${baseUrl}`);
      backend = await startBackend();
      log('backend ready again');
    };

    return {
      baseUrl,
      kubeconfig,
      logs,
      stop,
      restartBackend,
      freezeCluster,
      thawCluster,
    };
  } catch (e) {
    await stop(2000);
    throw e;
  }
}
