#!/usr/bin/env node
// `yarn start`: brings up the built-in development cluster (packages/kube-sim) on a free loopback
// port, then the Backstage app and backend (`backstage-cli repo start`) pointed at it. Extra
// arguments go to `backstage-cli repo start` (e.g. `yarn start backend` for the backend alone).
// Set MESHSTAGE_DEV_CLUSTER_URL (and _TOKEN, _CA_DATA) to use a cluster you started yourself instead.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = join(root, '.meshstage');
mkdirSync(stateDir, { recursive: true });

const children = [];
let stopping = false;
// backstage-cli stops its app and backend on SIGINT, as Ctrl-C in a terminal sends it to the whole
// process group; a SIGTERM to this script alone must end it the same way.
const stopSignal = child => child.stopSignal ?? 'SIGTERM';
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null) child.kill(stopSignal(child));
  }
  // Give kube-sim a moment to flush its state file, then make sure nothing outlives us.
  setTimeout(() => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
    process.exit(code);
  }, 3000).unref();
}
process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

async function startDevCluster() {
  const kubeconfig = join(stateDir, 'dev-kubeconfig');
  const meshperf = join(root, 'packages/loadgen/bin/meshperf');
  const sim = spawn(
    process.execPath,
    [
      join(root, 'packages/kube-sim/bin/kube-sim'),
      '--port',
      process.env.MESHSTAGE_DEV_CLUSTER_PORT ?? '0',
      '--kubeconfig',
      kubeconfig,
      '--seed',
      join(root, 'examples/cluster'),
      '--state',
      join(stateDir, 'dev-cluster.json'),
      // our own images run as local processes: benchmark Jobs and the echo target work for real
      '--local-image',
      `meshstage/loadgen=${JSON.stringify({
        command: [process.execPath, meshperf],
      })}`,
      '--local-image',
      `meshstage/echo=${JSON.stringify({
        command: [process.execPath, meshperf],
        args: ['server'],
      })}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(sim);
  sim.on('exit', code => {
    if (!stopping) {
      console.error(`dev cluster exited with code ${code}`);
      stop(1);
    }
  });
  const lines = createInterface({ input: sim.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    sim.once('exit', () => reject(new Error('dev cluster did not start')));
  });
  lines.on('line', line => console.log(`[kube-sim] ${line}`));
  const config = readFileSync(kubeconfig, 'utf8');
  const token = config.match(/token:\s*(\S+)/)?.[1];
  // kube-sim serves https with its own CA; the backend verifies the server with it
  const caData = config.match(/certificate-authority-data:\s*(\S+)/)?.[1];
  console.log(`Dev cluster listening on ${url}`);
  console.log(`  kubectl: KUBECONFIG=${kubeconfig} kubectl get pods -A`);
  return { url, token, caData };
}

let cluster = {
  url: process.env.MESHSTAGE_DEV_CLUSTER_URL,
  token: process.env.MESHSTAGE_DEV_CLUSTER_TOKEN ?? 'unused',
  caData: process.env.MESHSTAGE_DEV_CLUSTER_CA_DATA,
};
if (!cluster.url) {
  try {
    cluster = await startDevCluster();
  } catch (e) {
    console.error(String(e.message ?? e));
    stop(1);
  }
}

if (!stopping) {
  const backstage = spawn(
    process.execPath,
    [
      join(root, 'node_modules/@backstage/cli/bin/backstage-cli'),
      'repo',
      'start',
      ...process.argv.slice(2),
    ],
    {
      stdio: 'inherit',
      cwd: root,
      env: {
        ...process.env,
        MESHSTAGE_DEV_CLUSTER_URL: cluster.url,
        MESHSTAGE_DEV_CLUSTER_TOKEN: cluster.token,
        ...(cluster.caData
          ? { MESHSTAGE_DEV_CLUSTER_CA_DATA: cluster.caData }
          : {}),
      },
    },
  );
  backstage.stopSignal = 'SIGINT';
  children.push(backstage);
  backstage.on('exit', code => stop(code ?? 1));
}
