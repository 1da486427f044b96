import type { Finding } from '@meshstage/plugin-mesh-common';
import type {
  Analyzer,
  AnalyzerInput,
  KubeObject,
} from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode } from './common';
import { authorizationPolicyWarnings } from './schemaWarnings/authorizationPolicy';
import { destinationRuleWarnings } from './schemaWarnings/destinationRule';
import { envoyFilterWarnings } from './schemaWarnings/envoyFilter';
import { gatewayWarnings } from './schemaWarnings/gateway';
import { peerAuthenticationWarnings } from './schemaWarnings/peerAuthentication';
import { requestAuthenticationWarnings } from './schemaWarnings/requestAuthentication';
import { serviceEntryWarnings } from './schemaWarnings/serviceEntry';
import { sidecarWarnings } from './schemaWarnings/sidecar';
import { telemetryWarnings } from './schemaWarnings/telemetry';
import { virtualServiceWarnings } from './schemaWarnings/virtualService';
import type { SchemaWarning } from './schemaWarnings/warning';
import { workloadEntryWarnings } from './schemaWarnings/workloadEntry';

const CODE: IstioCode = {
  code: 'MS0272',
  name: 'SchemaWarning',
  severity: 'warning',
  summary:
    "An Istio resource passes validation with a warning from Istio's own validation (an EnvoyFilter, a selector without labels, deprecated fields, ignored TLS settings, duplicate Sidecar egress hosts, ...).",
  help: 'Follow the warning: use the field it names instead of the deprecated one, remove what Istio ignores, give selectors labels, prefer other APIs to EnvoyFilter.',
  istioCode: 'IST0133',
};

/** Each kind's warnings, as Istio's validation of that kind gives them. */
const WARNINGS: Array<{
  input: AnalyzerInput;
  of: (obj: KubeObject) => SchemaWarning[];
}> = [
  { input: inputs.envoyFilter, of: envoyFilterWarnings },
  { input: inputs.sidecar, of: sidecarWarnings },
  { input: inputs.serviceEntry, of: serviceEntryWarnings },
  { input: inputs.gateway, of: gatewayWarnings },
  { input: inputs.destinationRule, of: destinationRuleWarnings },
  { input: inputs.virtualService, of: virtualServiceWarnings },
  { input: inputs.workloadEntry, of: workloadEntryWarnings },
  { input: inputs.peerAuthentication, of: peerAuthenticationWarnings },
  { input: inputs.authorizationPolicy, of: authorizationPolicyWarnings },
  { input: inputs.requestAuthentication, of: requestAuthenticationWarnings },
  { input: inputs.telemetry, of: telemetryWarnings },
];

/**
 * MS0272 (IST0133): the warnings Istio's validation gives these resources, which `istioctl
 * analyze` reports as schema warnings, with Istio's texts, where Istio's validation returns them
 * (not where an error it returns early drops them). @public
 */
export const schemaWarningsAnalyzer: Analyzer = {
  id: 'istio.schema-warnings',
  description: CODE.summary,
  inputs: WARNINGS.map(w => w.input),
  codes: [CODE],
  analyze(snapshot) {
    return WARNINGS.flatMap(({ input, of }) =>
      snapshot
        .list(input.apiVersion, input.kind)
        .flatMap((obj): Finding[] =>
          of(obj).map(w =>
            findingFor(
              CODE,
              obj,
              w.path,
              `Schema validation warning: ${w.text}.`.replace(/\.\.$/, '.'),
            ),
          ),
        ),
    );
  },
};
