import type { ProfileSpec } from './profileSchema';

/** What one pod's share of a run is: totals split evenly, never below one connection. */
export function podShare(p: ProfileSpec, pods: number) {
  return {
    connections: Math.max(1, Math.ceil(p.connections / pods)),
    rate: p.rate > 0 ? p.rate / pods : 0,
    requestCount:
      p.requestCount !== undefined
        ? Math.max(1, Math.ceil(p.requestCount / pods))
        : undefined,
  };
}

const trimNumber = (v: number) => String(+v.toFixed(3));

/**
 * The `meshperf` command line (the args of a `meshstage/loadgen` container) that runs one pod's
 * share of a profile and prints its result as JSON on stdout. Pure.
 */
export function toMeshperfArgs(
  p: ProfileSpec,
  pods: number,
  labels?: string,
): string[] {
  const share = podShare(p, pods);
  // The pods resolve the targets in the cluster: they refuse link-local/metadata answers there.
  const args: string[] = ['--deny-link-local'];
  if (p.protocol === 'grpc') args.push('--grpc-health');
  args.push(...p.endpoints.map(e => e.url));
  args.push('-c', String(share.connections));
  if (share.requestCount !== undefined) {
    args.push('-n', String(share.requestCount));
  } else {
    args.push('-d', p.duration ?? '10s');
  }
  if (share.rate > 0) {
    args.push('-R', trimNumber(share.rate));
    if (p.jitter > 0) args.push('--jitter', `${trimNumber(p.jitter * 100)}%`);
  }
  if (p.threads > 1) args.push('--threads', String(p.threads));
  if (p.warmup) args.push('--warmup', p.warmup);
  if (p.timeout) args.push('--timeout', p.timeout);
  if (p.endpoints.length > 1 && p.endpoints.some(e => e.weight !== undefined)) {
    args.push(
      '--weights',
      p.endpoints.map(e => String(e.weight ?? 1)).join(','),
    );
  }
  // In-cluster profiles have the same method, headers and body on every endpoint (limits.ts).
  const first = p.endpoints[0];
  if (p.protocol !== 'grpc') {
    if (first.method) args.push('-m', first.method.toUpperCase());
    for (const [k, v] of Object.entries(first.headers ?? {})) {
      args.push('-H', `${k}: ${v}`);
    }
    if (first.body !== undefined) args.push('--body', first.body);
    if (p.protocol === 'http2') args.push('--http2');
    // Always named: without --engine, meshperf picks net for http:// targets, and the profile's
    // engine (undici unless it says net) is what the run must use.
    args.push('--engine', p.engine);
  }
  if (labels) args.push('--labels', labels);
  args.push('--output', 'json');
  return args;
}
