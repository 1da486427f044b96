import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';
import { unsetAddressWarnings } from './workloadEntry';
import {
  NO_LABELS,
  selectorRejected,
  workloadSelector,
} from './workloadSelector';

const RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'];
const TCP_PROTOCOLS = ['tcp', 'https', 'tls', 'mongo', 'redis', 'mysql'];

/**
 * A ServiceEntry's warnings: its workloadSelector (without labels; with resolution NONE), partial
 * wildcard hosts, TCP ports without addresses where no address is allocated, STATIC endpoints
 * without an address, several hosts with addresses and a TCP port under DNS resolution. None when
 * Istio rejects the selector (an error returned alone).
 */
export function serviceEntryWarnings(entry: KubeObject): SchemaWarning[] {
  const spec = specOf(entry);
  const selector = workloadSelector(entry);
  if (selector && selectorRejected(selector.labels)) return [];
  // NONE is the default resolution.
  const resolution =
    typeof spec.resolution === 'number'
      ? RESOLUTIONS[spec.resolution]
      : String(spec.resolution ?? 'NONE');
  const hosts = arr(spec.hosts).map(String);
  const addresses = arr(spec.addresses);
  const out: SchemaWarning[] = [];
  if (selector && Object.keys(selector.labels).length === 0)
    out.push({
      path: '/spec/workloadSelector',
      text: `service entry: ${NO_LABELS}`,
    });
  hosts.forEach((host, i) => {
    if (
      resolution !== 'DYNAMIC_DNS' &&
      host !== '*' &&
      host.includes('*') &&
      !host.startsWith('*.')
    )
      out.push({
        path: `/spec/hosts/${i}`,
        text: `partial wildcard ${JSON.stringify(host)} not allowed`,
      });
  });
  // istioctl allocates addresses to entries without any, unless the resolution is NONE.
  if (addresses.length === 0 && resolution === 'NONE')
    arr(spec.ports).forEach((port, i) => {
      const protocol = obj(port).protocol ?? '';
      if (!absent(port) && (protocol === '' || protocol === 'TCP'))
        out.push({
          path: `/spec/ports/${i}`,
          text: 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled',
        });
    });
  if (resolution === 'NONE' && selector)
    out.push({
      path: '/spec/workloadSelector',
      text: 'workloadSelector should not be set when resolution mode is NONE',
    });
  if (resolution === 'STATIC')
    arr(spec.endpoints).forEach((endpoint, i) => {
      if (!absent(endpoint))
        out.push(...unsetAddressWarnings(endpoint, `/spec/endpoints/${i}`));
    });
  if (
    (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') &&
    addresses.length > 0 &&
    hosts.length > 1
  ) {
    // Istio looks at the first TCP port only.
    const tcp = arr(spec.ports).findIndex(
      p =>
        !absent(p) &&
        TCP_PROTOCOLS.includes(String(obj(p).protocol ?? '').toLowerCase()),
    );
    if (tcp >= 0)
      out.push({
        path: `/spec/ports/${tcp}`,
        text: 'service entry can not have more than one host specified simultaneously with address and tcp port',
      });
  }
  return out;
}
