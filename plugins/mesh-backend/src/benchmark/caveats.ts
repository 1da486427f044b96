/**
 * What about where and how runs were measured limits a comparison. Pure.
 */
import type { BenchmarkEnvironment } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';

/** kube-sim reports this container runtime on its node: its pods, sidecars included, are simulated. */
const SIMULATED_RUNTIME = 'kube-sim://';

/**
 * Whether the nodes a run's load-generator pods ran on only simulate containers (the
 * development cluster, kube-sim): then no request crossed a mesh proxy.
 */
export function simulatedProxiesOf(
  cluster: string,
  nodes: KubeObject[],
): BenchmarkEnvironment['simulatedProxies'] {
  for (const node of nodes) {
    const runtime = (
      node as { status?: { nodeInfo?: { containerRuntimeVersion?: string } } }
    ).status?.nodeInfo?.containerRuntimeVersion;
    if (runtime?.startsWith(SIMULATED_RUNTIME)) {
      return {
        cluster,
        reason: `node ${node.metadata.name} of cluster ${cluster} reports container runtime ${runtime}: its pods' mesh proxies are simulated, so requests crossed no sidecar`,
      };
    }
  }
  return undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLoopback(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** A compared run as {@link comparisonCaveats} needs it. */
export interface CaveatRun {
  id: string;
  mesh?: string;
  targets: string[];
  environment: BenchmarkEnvironment;
}

/**
 * Sentences that say why the differences of a comparison may not be mesh overhead: simulated
 * proxies, load sent from the backend to a loopback address while the run is labelled with a
 * mesh, runs measured from different places. Empty when nothing is known to limit it.
 */
export function comparisonCaveats(runs: CaveatRun[]): string[] {
  const caveats: string[] = [];
  const simulated = runs.filter(r => r.environment.simulatedProxies);
  if (simulated.length > 0) {
    const clusters = [
      ...new Set(simulated.map(r => r.environment.simulatedProxies!.cluster)),
    ];
    caveats.push(
      `The mesh proxies of cluster ${clusters.join(
        ', ',
      )} are simulated (runs ${simulated
        .map(r => r.id)
        .join(
          ', ',
        )}): no request crossed a sidecar, so differences are not mesh overhead.`,
    );
  }
  const loopback = runs.filter(
    r =>
      r.mesh &&
      r.environment.runner === 'in-process' &&
      r.targets.length > 0 &&
      r.targets.every(isLoopback),
  );
  if (loopback.length > 0) {
    caveats.push(
      `Runs ${loopback
        .map(r => `${r.id} (${r.mesh})`)
        .join(
          ', ',
        )} sent their load from the backend process to a loopback address: the mesh they are labelled with was not on the request path.`,
    );
  }
  const runners = [...new Set(runs.map(r => r.environment.runner))];
  if (runners.length > 1) {
    caveats.push(
      `The runs were measured from different places (${runners.join(
        ' and ',
      )}): the load generator's own network path differs between them.`,
    );
  }
  return caveats;
}
