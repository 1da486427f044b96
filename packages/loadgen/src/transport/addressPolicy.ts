/**
 * Which IP addresses a guarded load test must never connect to: link-local
 * ranges and the cloud providers' instance metadata endpoints, the usual way
 * a request-making service is turned against the machine it runs on. Pure.
 *
 * Addresses arrive as `dns.lookup` and WHATWG URL parsing give them: IPv4
 * dotted quads (the URL parser already turns decimal, hex and octal spellings
 * such as `2852039166` or `0xa9.0xfe.0xa9.0xfe` into `169.254.169.254`) and
 * IPv6 text in any of its spellings, including IPv4-mapped and NAT64 forms.
 *
 * @packageDocumentation
 */
import { isIP } from 'node:net';

/** IPv4 blocks refused, as [first octets..., prefix length, why]. */
const IPV4_BLOCKS: Array<[number, number, string]> = [
  // 169.254.0.0/16: link-local, home of 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
  [ipv4Number('169.254.0.0'), 16, 'link-local (169.254.0.0/16)'],
  // Alibaba Cloud's metadata service
  [ipv4Number('100.100.100.200'), 32, 'a cloud metadata address'],
  // Oracle Cloud's legacy metadata address
  [ipv4Number('192.0.0.192'), 32, 'a cloud metadata address'],
];

function ipv4Number(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function ipv4Reason(value: number): string | undefined {
  for (const [base, bits, why] of IPV4_BLOCKS) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === (base & mask) >>> 0) return why;
  }
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
export function ipv6Groups(text: string): number[] | undefined {
  let s = text.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return undefined;
  // A trailing dotted quad stands for the last two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    s = `${s.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${(
      (c << 8) |
      d
    ).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const parse = (part: string | undefined) =>
    part ? part.split(':').map(g => parseInt(g, 16)) : [];
  const h = parse(head);
  const t = parse(tail);
  const zeros = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...new Array(zeros).fill(0), ...t];
  return groups.length === 8 ? groups : undefined;
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64), if any. */
function embeddedIpv4(g: number[]): number | undefined {
  const low = ((g[6] << 16) | g[7]) >>> 0;
  const zeroUntil = (n: number) => g.slice(0, n).every(x => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated)
  if (zeroUntil(5) && g[5] === 0xffff) return low;
  if (zeroUntil(4) && g[4] === 0xffff && g[5] === 0) return low;
  // ::a.b.c.d (the deprecated compatible form), but not :: or ::1
  if (zeroUntil(6) && low > 1) return low;
  // 64:ff9b::a.b.c.d, the NAT64 well-known prefix
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every(x => x === 0))
    return low;
  return undefined;
}

/**
 * Why a load test must not connect to `address`, or `undefined` when it may.
 * `address` is an IP literal (IPv4, or IPv6 with or without brackets);
 * anything else (a host name) is not judged here: resolve it first.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  const text = address.replace(/^\[(.*)\]$/, '$1');
  if (isIP(text) === 4) return ipv4Reason(ipv4Number(text));
  const g = ipv6Groups(text);
  if (!g) return undefined;
  // fe80::/10: IPv6 link-local
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  // fd00:ec2::254: AWS's IPv6 metadata endpoint
  if (
    g[0] === 0xfd00 &&
    g[1] === 0x0ec2 &&
    g.slice(2, 7).every(x => x === 0) &&
    g[7] === 0x254
  ) {
    return 'a cloud metadata address (fd00:ec2::254)';
  }
  const v4 = embeddedIpv4(g);
  return v4 === undefined ? undefined : ipv4Reason(v4);
}
