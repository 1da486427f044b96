import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode, NETWORKING, specOf } from './common';
import { IstioHosts } from './istioHosts';

const CODE: IstioCode = {
  code: 'MS0218',
  name: 'DestinationRuleHostNotFound',
  severity: 'warning',
  summary:
    "A DestinationRule's host is neither a Service nor a ServiceEntry host visible to it, so its policies apply to nothing.",
  help: "Fix the host (a short name means a Service in the DestinationRule's namespace), or create the Service or ServiceEntry (exported to the DestinationRule's namespace).",
  istioCode: 'IST0174',
};

/**
 * MS0218 (IST0174): DestinationRules whose host resolves to no Service or ServiceEntry, with
 * istioctl's resolution (`IstioHosts.resolve`: short names, the DestinationRule's `exportTo`, the
 * hosts' export scopes, wildcard ServiceEntries).
 * @public
 */
export const destinationRuleHostsAnalyzer: Analyzer = {
  id: 'istio.destinationrule-hosts',
  description: CODE.summary,
  inputs: [inputs.destinationRule, inputs.service, inputs.serviceEntry],
  codes: [CODE],
  analyze(snapshot) {
    const hosts = new IstioHosts(snapshot);
    return snapshot.list(NETWORKING, 'DestinationRule').flatMap(dr => {
      const spec = specOf(dr);
      const host = spec.host;
      if (
        typeof host !== 'string' ||
        hosts.resolve(dr.metadata.namespace, spec.exportTo, host)
      )
        return [];
      return [
        findingFor(
          CODE,
          dr,
          '/spec/host',
          `DestinationRule "${dr.metadata.name}" is for host "${host}", which no Service or ServiceEntry visible to it defines.`,
        ),
      ];
    });
  },
};
