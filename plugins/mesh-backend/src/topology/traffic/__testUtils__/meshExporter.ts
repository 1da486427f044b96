import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A counter growing linearly: `value = perSecond * (seconds since the exporter started + a head
 * start)`, so Prometheus's `rate()` over it is `perSecond`. The head start keeps rate()'s
 * extrapolation from being clipped at the counter's zero point.
 */
export interface CounterSeries {
  name: string;
  labels: Record<string, string>;
  perSecond: number;
}

/**
 * A histogram whose observations arrive at `perSecond`, a fixed share of them in each bucket:
 * `shares` maps a bucket's upper bound to the share of observations falling in it (not
 * cumulative). `frozen` histograms stop counting (no observation in any window: quantiles NaN).
 */
export interface HistogramSeries {
  /** The histogram's name without `_bucket`. */
  name: string;
  labels: Record<string, string>;
  perSecond: number;
  bounds: number[];
  shares: Record<number, number>;
  frozen?: boolean;
}

export type ExporterSeries = CounterSeries | HistogramSeries;

/** Seconds of counting before the exporter started (see {@link CounterSeries}). */
const HEAD_START_SECONDS = 1000;

function escapeLabel(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(
    ([k, v]) => `${k}="${escapeLabel(v)}"`,
  );
  return `{${pairs.join(',')}}`;
}

function isHistogram(series: ExporterSeries): series is HistogramSeries {
  return 'bounds' in series;
}

/**
 * The exposition text at `nowMs`, each sample stamped with `nowMs`, so that the values and the
 * times Prometheus stores are exactly consistent however late a scrape runs.
 */
export function exposition(
  series: ExporterSeries[],
  startMs: number,
  nowMs: number,
): string {
  const seconds = HEAD_START_SECONDS + (nowMs - startMs) / 1000;
  const families = new Map<string, { type: string; lines: string[] }>();
  const add = (family: string, type: string, line: string) => {
    const entry = families.get(family) ?? { type, lines: [] };
    entry.lines.push(line);
    families.set(family, entry);
  };
  for (const s of series) {
    if (!isHistogram(s)) {
      add(
        s.name,
        'counter',
        `${s.name}${formatLabels(s.labels)} ${s.perSecond * seconds} ${nowMs}`,
      );
      continue;
    }
    const observed = s.perSecond * (s.frozen ? HEAD_START_SECONDS : seconds);
    let cumulative = 0;
    for (const bound of s.bounds) {
      cumulative += s.shares[bound] ?? 0;
      add(
        s.name,
        'histogram',
        `${s.name}_bucket${formatLabels({ ...s.labels, le: String(bound) })} ${
          observed * cumulative
        } ${nowMs}`,
      );
    }
    add(
      s.name,
      'histogram',
      `${s.name}_bucket${formatLabels({
        ...s.labels,
        le: '+Inf',
      })} ${observed} ${nowMs}`,
    );
    // A sum consistent with the buckets is not needed by any query here; keep it plausible.
    add(
      s.name,
      'histogram',
      `${s.name}_sum${formatLabels(s.labels)} ${observed * 10} ${nowMs}`,
    );
    add(
      s.name,
      'histogram',
      `${s.name}_count${formatLabels(s.labels)} ${observed} ${nowMs}`,
    );
  }
  const lines: string[] = [];
  for (const [family, { type, lines: samples }] of families) {
    lines.push(`# TYPE ${family} ${type}`, ...samples);
  }
  return `${lines.join('\n')}\n`;
}

export interface MeshExporter {
  /** `host:port`, for a scrape config's targets. */
  address: string;
  close(): Promise<void>;
}

/** Serves `targets[name]` at `/metrics/<name>`. */
export async function startMeshExporter(
  targets: Record<string, ExporterSeries[]>,
): Promise<MeshExporter> {
  const startMs = Date.now();
  const server = http.createServer((req, res) => {
    const name = /^\/metrics\/([^/?]+)/.exec(req.url ?? '')?.[1];
    const series = name ? targets[name] : undefined;
    if (!series) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(exposition(series, startMs, Date.now()));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
