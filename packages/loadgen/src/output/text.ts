/**
 * The human summary of a result, in the spirit of wrk's and fortio's.
 *
 * @packageDocumentation
 */
import { ERROR_KINDS, type LoadResult } from '../types';
import { formatBytes, formatDuration, formatInt, formatMs } from '../units';

const PROTOCOL_NAMES = {
  'http/1.1': 'HTTP/1.1',
  h2: 'HTTP/2',
  grpc: 'gRPC',
} as const;

function rate(v: number): string {
  return v >= 100 ? formatInt(v) : v.toFixed(1);
}

/** Formats a result as a multi-line text summary (ends with a newline). */
export function formatText(r: LoadResult): string {
  const c = r.config;
  const lines: string[] = [];
  const pad = (label: string) => label.padEnd(11);
  for (const t of c.targets) {
    const weight = c.targets.length > 1 ? `, weight ${t.weight}` : '';
    lines.push(
      `${pad('Target')}${t.url} (${t.method}, ${
        PROTOCOL_NAMES[c.protocol]
      }${weight})`,
    );
  }
  const load =
    c.mode === 'rate'
      ? `constant rate ${rate(c.requestedRps)} req/s`
      : 'max throughput';
  const span =
    c.requestedCount !== undefined
      ? `${formatInt(c.requestedCount)} requests`
      : formatDuration(c.requestedDurationMs ?? 0);
  const warm =
    c.warmupMs > 0 ? ` after ${formatDuration(c.warmupMs)} warmup` : '';
  const pipe =
    c.pipelining > 1 ? `, ${c.pipelining} in flight per connection` : '';
  lines.push(
    `${pad('Load')}${load}, ${c.connections} connection${
      c.connections === 1 ? '' : 's'
    }${pipe}, ` +
      `${c.threads} thread${c.threads === 1 ? '' : 's'}, ${span}${warm}${
        c.engine ? `, ${c.engine} engine` : ''
      }`,
  );
  const q = r.requests;
  const requested =
    c.mode === 'rate' && c.requestedRps > 0
      ? ` (requested ${rate(c.requestedRps)}, ${(
          (q.perSecond / c.requestedRps) *
          100
        ).toFixed(1)}%)`
      : '';
  lines.push(
    `${pad('Requests')}${formatInt(q.total)} in ${(r.durationMs / 1000).toFixed(
      2,
    )}s: ${rate(q.perSecond)} req/s${requested}, ` +
      `${formatInt(q.failed)} failed (${(q.errorRate * 100).toFixed(2)}%)`,
  );
  const l = r.latencyMs;
  lines.push(
    `${pad('Latency')}min ${formatMs(l.min)}  mean ${formatMs(
      l.mean,
    )}  stddev ${formatMs(l.stddev)}  max ${formatMs(l.max)}`,
  );
  const pct: [string, number][] = [
    ['p50', l.p50],
    ['p75', l.p75],
    ['p90', l.p90],
    ['p99', l.p99],
    ['p99.9', l.p999],
    ['p99.99', l.p9999],
  ];
  for (const [name, v] of pct)
    lines.push(`${pad('')}${name.padEnd(8)}${formatMs(v)}`);
  if (r.sendLagMs) {
    const s = r.sendLagMs;
    lines.push(
      `${pad('Send lag')}p50 ${formatMs(s.p50)}  p99 ${formatMs(
        s.p99,
      )}  max ${formatMs(s.max)}`,
    );
  }
  const codes = Object.entries(r.statusCodes).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  lines.push(
    `${pad('Status')}${
      codes.length
        ? codes.map(([k, v]) => `${k}: ${formatInt(v)}`).join('  ')
        : 'no responses'
    }`,
  );
  const errs = ERROR_KINDS.filter(k => r.errors[k] > 0);
  lines.push(
    `${pad('Errors')}${
      errs.length
        ? errs.map(k => `${k}: ${formatInt(r.errors[k])}`).join('  ')
        : 'none'
    }`,
  );
  if (c.targets.length > 1) {
    lines.push(
      `${pad('Per target')}${r.targetCounts
        .map(n => formatInt(n))
        .join(' / ')}`,
    );
  }
  const perSec =
    r.durationMs > 0
      ? ` (${formatBytes(
          Math.round(r.bytes.received / (r.durationMs / 1000)),
        )}/s)`
      : '';
  lines.push(
    `${pad('Transfer')}${formatBytes(
      r.bytes.received,
    )} received${perSec}, ${formatBytes(r.bytes.sent)} sent`,
  );
  // Sends on idle connections should leave within the timer's ~1 ms; much
  // later, or a saturated event loop, means the generator could not keep up
  // and its own delay is part of the latencies.
  const lagging = !!r.sendLagMs && r.sendLagMs.p99 > 10;
  const saturated = c.mode === 'rate' && (r.generatorBusy ?? 0) > 0.9;
  if (lagging || saturated) {
    const why = lagging
      ? `sends left up to ${formatMs(r.sendLagMs!.p99)} late (p99)`
      : `the generator's event loop was busy ${Math.round(
          (r.generatorBusy ?? 0) * 100,
        )}% of the time`;
    lines.push(
      `${pad(
        'Warning',
      )}${why}: the generator could not keep up and latencies include its own delay; ` +
        `use --threads or a lower rate`,
    );
  }
  if (
    c.mode === 'rate' &&
    c.requestedRps > 0 &&
    q.perSecond < c.requestedRps * 0.99
  ) {
    lines.push(
      `${pad(
        'Warning',
      )}achieved rate is below the requested one: add connections (-c) or threads (--threads), ` +
        `or the server cannot keep up`,
    );
  }
  return `${lines.join('\n')}\n`;
}
