import { warnings } from '../__testUtils__/schemaWarnings';

const resource = (kind: string, name: string, spec: string) => `---
apiVersion: ${
  kind === 'Telemetry' ? 'telemetry.istio.io/v1' : 'security.istio.io/v1'
}
kind: ${kind}
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;
const publicJwk =
  '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}';
const privateJwk = publicJwk.replace(
  '}',
  ',"d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}',
);

describe('MS0272 on security policies and Telemetry', () => {
  it('warns on selectors without labels, HTTP-only DENY rules, private JWKS keys, Telemetry tracing and tags', () => {
    expect(
      warnings(
        resource(
          'PeerAuthentication',
          'pa',
          '{selector: {}, mtls: {mode: STRICT}}',
        ) +
          resource(
            'AuthorizationPolicy',
            'deny',
            '{action: DENY, rules: [{to: [{operation: {methods: [POST]}}]}, {to: [{operation: {ports: ["8080"], methods: [POST]}}]}, {from: [{source: {requestPrincipals: ["*"]}}]}]}',
          ) +
          resource(
            'RequestAuthentication',
            'jwt',
            `{selector: {matchLabels: {app: api}}, jwtRules: [{issuer: me, jwks: '{"keys": [${publicJwk}, ${privateJwk}]}'}]}`,
          ) +
          resource(
            'Telemetry',
            'tel',
            '{metrics: [{overrides: [{tagOverrides: {"": {value: x}}}]}], tracing: [{providers: [{name: a}, {name: b}]}, {providers: [{name: a}]}]}',
          ),
      ),
    ).toEqual([
      ['pa', '/spec/selector', 'workload selector specified without labels.'],
      [
        'deny',
        '/spec/rules/0',
        'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port.',
      ],
      [
        'deny',
        '/spec/rules/2',
        'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port.',
      ],
      [
        'jwt',
        '/spec/jwtRules/0/jwks',
        'jwks key at index 1 contains private key material; only public keys are used for verification.',
      ],
      [
        'tel',
        '/spec/metrics/0/overrides/0/tagOverrides',
        'tagOverrides.name may not be empty.',
      ],
      ['tel', '/spec/tracing', 'multiple tracing is not currently supported.'],
      [
        'tel',
        '/spec/tracing/0/providers',
        'multiple providers is not currently supported.',
      ],
    ]);
  });

  it('is quiet on the near misses', () => {
    expect(
      warnings(
        resource(
          'PeerAuthentication',
          'pa',
          '{selector: {matchLabels: {app: api}}, mtls: {mode: STRICT}}',
        ) +
          // ALLOW rules on HTTP attributes; DENY rules with a source that applies to TCP
          resource(
            'AuthorizationPolicy',
            'allow',
            '{rules: [{to: [{operation: {methods: [GET]}}]}]}',
          ) +
          resource(
            'AuthorizationPolicy',
            'deny',
            '{action: DENY, rules: [{from: [{source: {namespaces: [other]}}]}, {from: [{source: {notPrincipals: ["*"]}}], to: [{operation: {notPorts: ["9090"]}}]}]}',
          ) +
          // public keys only; JWKS that does not parse
          resource(
            'RequestAuthentication',
            'jwt',
            `{jwtRules: [{issuer: me, jwks: '{"keys": [${publicJwk}]}'}, {issuer: you, jwks: 'not json'}]}`,
          ) +
          resource(
            'Telemetry',
            'tel',
            '{tracing: [{providers: [{name: a}]}], metrics: [{overrides: [{tagOverrides: {x: {value: y}}}]}]}',
          ),
      ),
    ).toEqual([]);
  });
});
