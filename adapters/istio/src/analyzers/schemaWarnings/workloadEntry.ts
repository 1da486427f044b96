import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { specOf } from '../common';
import type { SchemaWarning } from './warning';
import { obj } from './warning';

/**
 * A workload (a WorkloadEntry's spec, a ServiceEntry endpoint) without an address but with a
 * network (without either is an error).
 */
export function unsetAddressWarnings(
  workload: unknown,
  path: string,
): SchemaWarning[] {
  const { address, network } = obj(workload);
  if ((address ?? '') !== '' || (network ?? '') === '') return [];
  return [
    {
      path: `${path}/network`,
      text: `address is unset with network ${JSON.stringify(String(network))}`,
    },
  ];
}

/** A WorkloadEntry's one warning: no address, with a network. */
export function workloadEntryWarnings(entry: KubeObject): SchemaWarning[] {
  return unsetAddressWarnings(specOf(entry), '/spec');
}
