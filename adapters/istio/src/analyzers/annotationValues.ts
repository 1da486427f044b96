/**
 * The value checks Istio's sidecar injector applies to its pod annotations (istioctl reports a
 * failing one as IST0125): each returns why a value is invalid, or undefined. Pure.
 */
type Check = (value: string) => string | undefined;

const UINT = /^\d+$/;

/** A decimal port number 0..65535, surrounding spaces allowed (as the injector trims them). */
function port(text: string): string | undefined {
  const t = text.trim();
  return UINT.test(t) && Number(t) <= 65535
    ? undefined
    : `"${text}" is not a port number`;
}

const portList =
  (star: boolean): Check =>
  value => {
    const v = value.trim();
    if ((star && v === '*') || v === '') return undefined;
    for (const p of v.split(',')) {
      const problem = port(p);
      if (problem) return problem;
    }
    return undefined;
  };

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

/** An IPv6 address as Go's netip parses it (hex groups, one `::`, an optional IPv4 tail). */
function isIpv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2)
    return false;
  const groups = text.split(':');
  const last = groups[groups.length - 1];
  const v4Tail = last.includes('.');
  if (v4Tail && !IPV4.test(last)) return false;
  const hex = (v4Tail ? groups.slice(0, -1) : groups).filter(g => g !== '');
  if (!hex.every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const size = hex.length + (v4Tail ? 2 : 0);
  return text.includes('::') ? size < 8 : size === 8;
}

/** A comma-separated list of CIDRs (`10.0.0.0/8,fd00::/8`), no spaces, as Go's netip reads them. */
function cidrList(value: string): string | undefined {
  if (value === '') return undefined;
  for (const cidr of value.split(',')) {
    const [ip, bits, extra] = cidr.split('/');
    let max = -1;
    if (IPV4.test(ip)) max = 32;
    else if (isIpv6(ip)) max = 128;
    const ok =
      extra === undefined &&
      max > 0 &&
      /^(0|[1-9]\d*)$/.test(bits ?? '') &&
      Number(bits) <= max;
    if (!ok) return `"${cidr}" is not a CIDR`;
  }
  return undefined;
}

function interfaces(value: string): string | undefined {
  if (value === '') return undefined;
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(name))
      return `"${name}" is not an interface name`;
  }
  return undefined;
}

/** Kubernetes resource quantities: `100m`, `1.5`, `128Mi`, `1e3`. */
const QUANTITY =
  /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

const uint32: Check = v =>
  UINT.test(v) && Number(v) <= 0xffffffff
    ? undefined
    : `"${v}" is not a non-negative integer`;

/** Go's strconv.ParseBool spellings. */
const BOOLEANS = new Set([
  '1',
  't',
  'T',
  'TRUE',
  'true',
  'True',
  '0',
  'f',
  'F',
  'FALSE',
  'false',
  'False',
]);

const quantity: Check = v =>
  QUANTITY.test(v) ? undefined : `"${v}" is not a resource quantity`;

/** Annotation name → its check. Annotations not listed take any value. */
export const ANNOTATION_VALUE_CHECKS: Readonly<Record<string, Check>> = {
  'sidecar.istio.io/interceptionMode': v =>
    ['REDIRECT', 'TPROXY', 'NONE'].includes(v)
      ? undefined
      : `"${v}" is not REDIRECT, TPROXY or NONE`,
  'status.sidecar.istio.io/port': port,
  'readiness.status.sidecar.istio.io/initialDelaySeconds': uint32,
  'readiness.status.sidecar.istio.io/periodSeconds': uint32,
  'readiness.status.sidecar.istio.io/failureThreshold': uint32,
  'traffic.sidecar.istio.io/includeOutboundIPRanges': v =>
    v === '*' ? undefined : cidrList(v),
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': cidrList,
  'traffic.sidecar.istio.io/includeInboundPorts': portList(true),
  'traffic.sidecar.istio.io/excludeInboundPorts': portList(false),
  'traffic.sidecar.istio.io/excludeOutboundPorts': portList(false),
  'traffic.sidecar.istio.io/excludeInterfaces': interfaces,
  'traffic.sidecar.istio.io/kubevirtInterfaces': interfaces,
  'istio.io/reroute-virtual-interfaces': interfaces,
  'prometheus.istio.io/merge-metrics': v =>
    BOOLEANS.has(v) ? undefined : `"${v}" is not true or false`,
  'sidecar.istio.io/proxyCPU': quantity,
  'sidecar.istio.io/proxyMemory': quantity,
  'sidecar.istio.io/proxyCPULimit': quantity,
  'sidecar.istio.io/proxyMemoryLimit': quantity,
};
