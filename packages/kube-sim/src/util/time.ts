/** RFC 3339 timestamp with second precision, as Kubernetes serializes metav1.Time. */
export function nowTimestamp(now: number = Date.now()): string {
  return new Date(Math.floor(now / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** RFC 3339 timestamp with microseconds, as metav1.MicroTime (events, leases). */
export function nowMicroTimestamp(now: number = Date.now()): string {
  return new Date(now).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a Kubernetes timestamp; NaN when missing or malformed. */
export function parseTimestamp(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}
