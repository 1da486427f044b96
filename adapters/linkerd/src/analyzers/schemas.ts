/**
 * Compact OpenAPI v3 schemas of the `spec` of the Linkerd policy CRDs MeshStage's rules read,
 * distilled from Linkerd's CRDs (2.14+): the fields, types and enums the rules rely on; unknown
 * top-level fields rejected, deeper objects left open so newer fields are never errors.
 */
type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const strMap: Schema = { type: 'object', additionalProperties: str };
const open: Schema = { type: 'object' };
const labelSelector: Schema = {
  type: 'object',
  properties: {
    matchLabels: strMap,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: str,
          operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: { type: 'array', items: str },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};
const ref: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    group: str,
    kind: str,
    name: str,
    namespace: str,
    port: { type: 'integer' },
    sectionName: str,
  },
  additionalProperties: false,
};

/** `spec` schemas by kind. */
export const LINKERD_SPEC_SCHEMAS: Record<string, Schema> = {
  Server: {
    type: 'object',
    required: ['port'],
    properties: {
      podSelector: labelSelector,
      externalWorkloadSelector: labelSelector,
      port: {
        anyOf: [
          { type: 'integer', minimum: 1, maximum: 65535 },
          { type: 'string', maxLength: 15 },
        ],
      },
      proxyProtocol: {
        enum: ['unknown', 'HTTP/1', 'HTTP/2', 'gRPC', 'opaque', 'TLS'],
      },
      accessPolicy: {
        enum: [
          'deny',
          'all-authenticated',
          'all-unauthenticated',
          'cluster-authenticated',
          'cluster-unauthenticated',
          'audit',
        ],
      },
    },
    additionalProperties: false,
  },
  ServerAuthorization: {
    type: 'object',
    required: ['server', 'client'],
    properties: {
      server: {
        type: 'object',
        properties: { name: str, selector: labelSelector },
        additionalProperties: false,
      },
      client: {
        type: 'object',
        properties: {
          meshTLS: {
            type: 'object',
            properties: {
              identities: { type: 'array', items: str },
              serviceAccounts: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name'],
                  properties: { name: str, namespace: str },
                  additionalProperties: false,
                },
              },
              unauthenticatedTLS: { type: 'boolean' },
            },
            additionalProperties: false,
          },
          networks: { type: 'array', items: open },
          unauthenticated: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  HTTPRoute: {
    type: 'object',
    properties: {
      parentRefs: { type: 'array', items: ref },
      hostnames: { type: 'array', items: str },
      rules: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            matches: { type: 'array', items: open },
            filters: { type: 'array', items: open },
            backendRefs: { type: 'array', items: open },
            timeouts: open,
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  AuthorizationPolicy: {
    type: 'object',
    required: ['targetRef', 'requiredAuthenticationRefs'],
    properties: {
      targetRef: {
        type: 'object',
        required: ['kind', 'name'],
        properties: { group: str, kind: str, name: str },
        additionalProperties: false,
      },
      requiredAuthenticationRefs: { type: 'array', items: ref },
    },
    additionalProperties: false,
  },
};
