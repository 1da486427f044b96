import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { apiGroup, findingFor } from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode } from './common';
import { ISTIO_SPEC_SCHEMAS } from './schemas';

const CODE: IstioCode = {
  code: 'MS0217',
  name: 'SchemaValidationError',
  severity: 'error',
  summary:
    'An Istio resource does not match its CRD schema (unknown field, wrong type or value).',
  help: 'Fix the field named in the message; the API server or istiod would reject or ignore it.',
  istioCode: 'IST0106',
};

const GROUPS = new Set(['networking.istio.io', 'security.istio.io']);

/** MS0217 (IST0106): Istio CRD objects checked against their schemas. @public */
export const schemaValidationAnalyzer: Analyzer = {
  id: 'istio.schema',
  description: CODE.summary,
  inputs: [
    inputs.virtualService,
    inputs.destinationRule,
    inputs.gateway,
    inputs.serviceEntry,
    inputs.sidecar,
    inputs.peerAuthentication,
    inputs.authorizationPolicy,
    inputs.requestAuthentication,
  ],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return snapshot.objects.flatMap(obj => {
      const schema = ISTIO_SPEC_SCHEMAS[obj.kind];
      if (!schema || !GROUPS.has(apiGroup(obj.apiVersion))) return [];
      return ctx
        .validateSchema(schema, obj.spec ?? {})
        .map(v =>
          findingFor(
            CODE,
            obj,
            `/spec${v.path}`,
            `Schema validation error: spec${v.path.replace(/\//g, '.')} ${
              v.message
            }.`,
          ),
        );
    });
  },
};
