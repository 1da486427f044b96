/**
 * Compact OpenAPI v3 schemas of the `spec` of the Istio CRDs MeshStage's rules read, distilled from
 * Istio's CRDs (1.2x): field names, types and enums that the analyzers rely on, with unknown
 * fields rejected where Istio's own validation rejects them. Not the full CRDs: deeper objects are
 * left open so that a newer Istio field is never reported as an error.
 */

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const strArray: Schema = { type: 'array', items: str };
const strMap: Schema = { type: 'object', additionalProperties: str };
const open: Schema = { type: 'object' };
const stringMatch: Schema = {
  type: 'object',
  properties: { exact: str, prefix: str, regex: str },
  additionalProperties: false,
  maxProperties: 1,
};
const portSelector: Schema = {
  type: 'object',
  properties: { number: { type: 'integer', minimum: 0, maximum: 4294967295 } },
  additionalProperties: false,
};
const destination: Schema = {
  type: 'object',
  required: ['host'],
  properties: { host: str, subset: str, port: portSelector },
  additionalProperties: false,
};
const routeDestinations: Schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['destination'],
    properties: { destination, weight: { type: 'integer' }, headers: open },
    additionalProperties: false,
  },
};
const workloadSelector: Schema = {
  type: 'object',
  properties: { matchLabels: strMap },
  additionalProperties: false,
};
const tlsMode = { enum: ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] };
const clientTls: Schema = {
  type: 'object',
  properties: {
    mode: tlsMode,
    clientCertificate: str,
    privateKey: str,
    caCertificates: str,
    credentialName: str,
    subjectAltNames: strArray,
    sni: str,
    insecureSkipVerify: { type: 'boolean' },
    caCrl: str,
  },
  additionalProperties: false,
};
const trafficPolicy: Schema = {
  type: 'object',
  properties: {
    loadBalancer: open,
    connectionPool: open,
    outlierDetection: open,
    tls: clientTls,
    portLevelSettings: { type: 'array', items: open },
    tunnel: open,
    proxyProtocol: open,
    retryBudget: open,
  },
  additionalProperties: false,
};

/** `spec` schemas by kind. */
export const ISTIO_SPEC_SCHEMAS: Record<string, Schema> = {
  VirtualService: {
    type: 'object',
    properties: {
      hosts: strArray,
      gateways: strArray,
      exportTo: strArray,
      http: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: str,
            match: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: str,
                  uri: stringMatch,
                  scheme: stringMatch,
                  method: stringMatch,
                  authority: stringMatch,
                  headers: {
                    type: 'object',
                    additionalProperties: stringMatch,
                  },
                  queryParams: {
                    type: 'object',
                    additionalProperties: stringMatch,
                  },
                  withoutHeaders: {
                    type: 'object',
                    additionalProperties: stringMatch,
                  },
                  port: { type: 'integer' },
                  sourceLabels: strMap,
                  gateways: strArray,
                  ignoreUriCase: { type: 'boolean' },
                  sourceNamespace: str,
                  statPrefix: str,
                },
                additionalProperties: false,
              },
            },
            route: routeDestinations,
            redirect: open,
            directResponse: open,
            delegate: open,
            rewrite: open,
            timeout: str,
            retries: open,
            fault: open,
            mirror: destination,
            mirrors: { type: 'array', items: open },
            mirrorPercentage: open,
            // google.protobuf.UInt32Value: a bare number in YAML and JSON (deprecated; MS0272 warns).
            mirror_percent: {
              type: 'integer',
              minimum: 0,
              maximum: 4294967295,
            },
            mirrorPercent: { type: 'integer', minimum: 0, maximum: 4294967295 },
            corsPolicy: open,
            headers: open,
          },
          additionalProperties: false,
        },
      },
      tls: {
        type: 'array',
        items: {
          type: 'object',
          properties: { match: { type: 'array' }, route: routeDestinations },
          additionalProperties: false,
        },
      },
      tcp: {
        type: 'array',
        items: {
          type: 'object',
          properties: { match: { type: 'array' }, route: routeDestinations },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  DestinationRule: {
    type: 'object',
    required: ['host'],
    properties: {
      host: str,
      trafficPolicy,
      subsets: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name'],
          properties: { name: str, labels: strMap, trafficPolicy },
          additionalProperties: false,
        },
      },
      exportTo: strArray,
      workloadSelector: workloadSelector,
    },
    additionalProperties: false,
  },
  Gateway: {
    type: 'object',
    properties: {
      selector: strMap,
      servers: {
        type: 'array',
        items: {
          type: 'object',
          required: ['port', 'hosts'],
          properties: {
            port: {
              type: 'object',
              required: ['number', 'protocol', 'name'],
              properties: {
                number: { type: 'integer', minimum: 1, maximum: 65535 },
                protocol: str,
                name: str,
                targetPort: { type: 'integer' },
              },
              additionalProperties: false,
            },
            bind: str,
            hosts: { ...strArray, minItems: 1 },
            tls: {
              type: 'object',
              properties: {
                httpsRedirect: { type: 'boolean' },
                mode: {
                  enum: [
                    'PASSTHROUGH',
                    'SIMPLE',
                    'MUTUAL',
                    'AUTO_PASSTHROUGH',
                    'ISTIO_MUTUAL',
                    'OPTIONAL_MUTUAL',
                  ],
                },
                serverCertificate: str,
                privateKey: str,
                caCertificates: str,
                caCrl: str,
                credentialName: str,
                credentialNames: strArray,
                tlsCertificates: { type: 'array' },
                subjectAltNames: strArray,
                verifyCertificateSpki: strArray,
                verifyCertificateHash: strArray,
                minProtocolVersion: str,
                maxProtocolVersion: str,
                cipherSuites: strArray,
              },
              additionalProperties: false,
            },
            defaultEndpoint: str,
            name: str,
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  ServiceEntry: {
    type: 'object',
    required: ['hosts'],
    properties: {
      hosts: { ...strArray, minItems: 1 },
      addresses: strArray,
      ports: {
        type: 'array',
        items: {
          type: 'object',
          required: ['number', 'name'],
          properties: {
            number: { type: 'integer', minimum: 1, maximum: 65535 },
            protocol: str,
            name: str,
            targetPort: { type: 'integer' },
          },
          additionalProperties: false,
        },
      },
      location: { enum: ['MESH_EXTERNAL', 'MESH_INTERNAL'] },
      resolution: {
        enum: ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'],
      },
      endpoints: { type: 'array', items: open },
      workloadSelector: {
        type: 'object',
        properties: { labels: strMap },
        additionalProperties: false,
      },
      exportTo: strArray,
      subjectAltNames: strArray,
    },
    additionalProperties: false,
  },
  Sidecar: {
    type: 'object',
    properties: {
      workloadSelector: {
        type: 'object',
        properties: { labels: strMap },
        additionalProperties: false,
      },
      ingress: { type: 'array', items: open },
      egress: {
        type: 'array',
        items: {
          type: 'object',
          required: ['hosts'],
          properties: {
            port: open,
            bind: str,
            captureMode: { enum: ['DEFAULT', 'IPTABLES', 'NONE'] },
            hosts: strArray,
          },
          additionalProperties: false,
        },
      },
      outboundTrafficPolicy: {
        type: 'object',
        properties: {
          mode: { enum: ['REGISTRY_ONLY', 'ALLOW_ANY'] },
          egressProxy: open,
        },
        additionalProperties: false,
      },
      inboundConnectionPool: open,
    },
    additionalProperties: false,
  },
  PeerAuthentication: {
    type: 'object',
    properties: {
      selector: workloadSelector,
      mtls: {
        type: 'object',
        properties: {
          mode: { enum: ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] },
        },
        additionalProperties: false,
      },
      portLevelMtls: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: {
            mode: { enum: ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  AuthorizationPolicy: {
    type: 'object',
    properties: {
      selector: workloadSelector,
      targetRef: open,
      targetRefs: { type: 'array', items: open },
      rules: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            from: {
              type: 'array',
              items: {
                type: 'object',
                properties: { source: open },
                additionalProperties: false,
              },
            },
            to: {
              type: 'array',
              items: {
                type: 'object',
                properties: { operation: open },
                additionalProperties: false,
              },
            },
            when: {
              type: 'array',
              items: {
                type: 'object',
                required: ['key'],
                properties: { key: str, values: strArray, notValues: strArray },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
      action: { enum: ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] },
      provider: {
        type: 'object',
        properties: { name: str },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  RequestAuthentication: {
    type: 'object',
    properties: {
      selector: workloadSelector,
      targetRef: open,
      targetRefs: { type: 'array', items: open },
      jwtRules: {
        type: 'array',
        items: {
          type: 'object',
          required: ['issuer'],
          properties: {
            issuer: str,
            audiences: strArray,
            jwksUri: str,
            jwks: str,
            fromHeaders: { type: 'array', items: open },
            fromParams: strArray,
            outputPayloadToHeader: str,
            fromCookies: strArray,
            forwardOriginalToken: { type: 'boolean' },
            outputClaimToHeaders: { type: 'array', items: open },
            timeout: str,
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
};
