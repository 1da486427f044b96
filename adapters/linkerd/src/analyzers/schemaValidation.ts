import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { apiGroup, findingFor } from '@meshstage/plugin-mesh-node';
import { inputs, LinkerdCode, POLICY } from './common';
import { LINKERD_SPEC_SCHEMAS } from './schemas';

const CODE: LinkerdCode = {
  code: 'MS0308',
  name: 'SchemaValidationError',
  severity: 'error',
  summary:
    'A Linkerd policy resource does not match its CRD schema (unknown field, wrong type or value).',
  help: 'Fix the field named in the message; the API server would reject it or Linkerd ignore it.',
};

/** MS0308: Linkerd policy objects checked against their schemas. @public */
export const schemaValidationAnalyzer: Analyzer = {
  id: 'linkerd.schema',
  description: CODE.summary,
  inputs: [
    inputs.server,
    inputs.serverAuthorization,
    inputs.httpRoute,
    inputs.authorizationPolicy,
  ],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return snapshot.objects.flatMap(obj => {
      const schema = LINKERD_SPEC_SCHEMAS[obj.kind];
      if (!schema || apiGroup(obj.apiVersion) !== POLICY) return [];
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
