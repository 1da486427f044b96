import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';
import { meshConfigOf } from './meshConfig';

const CODE: IstioCode = {
  code: 'MS0248',
  name: 'ServiceEntryAddressesRequired',
  severity: 'warning',
  summary:
    'A ServiceEntry with TCP (or unset-protocol) ports has no `addresses`, and the mesh does not allocate them: the proxy cannot tell its traffic apart.',
  help: 'Set `addresses` (virtual IPs) on the ServiceEntry, or enable DNS capture with address auto-allocation in the mesh config (`defaultConfig.proxyMetadata`: `ISTIO_META_DNS_CAPTURE: "true"` and `ISTIO_META_DNS_AUTO_ALLOCATE: "true"`).',
  istioCode: 'IST0134',
};

/**
 * Whether the mesh allocates ServiceEntry addresses, as istioctl reads it from the mesh config's
 * `defaultConfig.proxyMetadata`: DNS capture on, with DNS or IP auto-allocation.
 */
function autoAllocates(metadata: Readonly<Record<string, string>>): boolean {
  if (metadata.ISTIO_META_DNS_CAPTURE !== 'true') return false;
  return (
    metadata.ISTIO_META_DNS_AUTO_ALLOCATE === 'true' ||
    metadata.PILOT_ENABLE_IP_AUTOALLOCATE === 'true'
  );
}

/**
 * MS0248 (IST0134): ServiceEntries without `addresses` (nor addresses allocated in their status)
 * that have ports with protocol TCP or none, unless the mesh config auto-allocates addresses. One
 * finding per ServiceEntry, at its first such port.
 * @public
 */
export const serviceEntryAddressesAnalyzer: Analyzer = {
  id: 'istio.serviceentry-addresses',
  description: CODE.summary,
  inputs: [inputs.serviceEntry],
  codes: [CODE],
  analyze(snapshot) {
    if (autoAllocates(meshConfigOf(snapshot).proxyMetadata)) return [];
    return snapshot.list(NETWORKING, 'ServiceEntry').flatMap(se => {
      const spec = specOf(se);
      if (arr(spec.addresses).length > 0) return [];
      const status = (se as { status?: any }).status;
      if (arr(status?.addresses).length > 0) return [];
      const ports = arr(spec.ports)
        .map((p: any, i) => ({ p, i }))
        .filter(
          ({ p }) => !p?.protocol || String(p.protocol).toUpperCase() === 'TCP',
        );
      if (ports.length === 0) return [];
      return [
        findingFor(
          CODE,
          se,
          `/spec/ports/${ports[0].i}`,
          `ServiceEntry "${
            se.metadata.name
          }" has no addresses for its TCP port${
            ports.length > 1 ? 's' : ''
          } ${ports
            .map(({ p }) => p?.number ?? '?')
            .join(', ')}: set addresses, or let the mesh auto-allocate them.`,
        ),
      ];
    });
  },
};
