/**
 * IP addresses and CIDRs as Linkerd parses them (Rust's `IpAddr`/`ipnet::IpNet` in its policy
 * controller, Go's `net.ParseCIDR` in `linkerd check`): an address range with its family. Pure.
 */

/** An address block: first and last address, as numbers of its family's width. */
export interface IpRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  /** The prefix length (32 or 128 for a bare address). */
  prefix: number;
}

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    // Decimal octets without leading zeros, as Rust's and Go's parsers require.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256n + BigInt(p);
  }
  return n;
}

function ipv6(text: string): bigint | undefined {
  let head = text;
  const groups: number[] = [];
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) counts as two groups.
  const v4 = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (v4) {
    const n = ipv4(v4[1]);
    if (n === undefined) return undefined;
    tail = [Number(n >> 16n), Number(n & 0xffffn)];
    head = text.slice(0, text.length - v4[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) =>
    s === ''
      ? []
      : s
          .split(':')
          .map(g => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if ([...left, ...right].some(Number.isNaN)) return undefined;
  const count = left.length + right.length + tail.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return undefined;
  groups.push(...left, ...Array(8 - count).fill(0), ...right, ...tail);
  return groups.reduce((n, g) => n * 65536n + BigInt(g), 0n);
}

/** A bare IPv4 or IPv6 address as a /32 or /128 range, or undefined. */
export function parseIp(text: string): IpRange | undefined {
  const v4 = ipv4(text);
  if (v4 !== undefined) return { family: 4, first: v4, last: v4, prefix: 32 };
  const v6 = text.includes(':') ? ipv6(text) : undefined;
  if (v6 !== undefined) return { family: 6, first: v6, last: v6, prefix: 128 };
  return undefined;
}

/** `10.0.0.0/8` (host bits allowed, as both parsers allow them) as a range, or undefined. */
export function parseCidr(text: string): IpRange | undefined {
  const m = /^([^/]+)\/(0|[1-9]\d{0,2})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  const prefix = Number(m[2]);
  const width = ip?.family === 4 ? 32 : 128;
  if (!ip || prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const first = (ip.first >> hostBits) << hostBits;
  return {
    family: ip.family,
    first,
    last: first + (1n << hostBits) - 1n,
    prefix,
  };
}

/** A CIDR or a bare address (Linkerd's `Cidr` accepts both). */
export function parseCidrOrIp(text: string): IpRange | undefined {
  return text.includes('/') ? parseCidr(text) : parseIp(text);
}

/** Whether `outer` contains every address of `inner` (same family). */
export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return (
    outer.family === inner.family &&
    outer.first <= inner.first &&
    inner.last <= outer.last
  );
}
