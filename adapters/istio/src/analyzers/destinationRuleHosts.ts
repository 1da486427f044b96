import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  fqdn,
  HostIndex,
  inputs,
  IstioCode,
  NETWORKING,
  specOf,
} from './common';

const CODE: IstioCode = {
  code: 'MS0218',
  name: 'DestinationRuleHostNotFound',
  severity: 'warning',
  summary:
    "A DestinationRule's host is neither a Service nor a ServiceEntry host, so its policies apply to nothing.",
  help: "Fix the host (a short name means a Service in the DestinationRule's namespace), or create the Service or ServiceEntry.",
};

/** MS0218: DestinationRules for hosts nothing defines (as Kiali's KIA0202). @public */
export const destinationRuleHostsAnalyzer: Analyzer = {
  id: 'istio.destinationrule-hosts',
  description: CODE.summary,
  inputs: [inputs.destinationRule, inputs.service, inputs.serviceEntry],
  codes: [CODE],
  analyze(snapshot) {
    const hosts = new HostIndex(snapshot);
    return snapshot.list(NETWORKING, 'DestinationRule').flatMap(dr => {
      const host = specOf(dr).host;
      if (
        typeof host !== 'string' ||
        host === '*' ||
        hosts.find(fqdn(host, dr.metadata.namespace))
      )
        return [];
      return [
        findingFor(
          CODE,
          dr,
          '/spec/host',
          `DestinationRule "${dr.metadata.name}" is for host "${host}", which no Service or ServiceEntry defines.`,
        ),
      ];
    });
  },
};
