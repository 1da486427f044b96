import { warnings } from '../__testUtils__/schemaWarnings';

const sidecar = (name: string, spec: string) => `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;

describe('MS0272 on Sidecars', () => {
  it('warns on duplicate egress hosts and */* beside other hosts', () => {
    expect(
      warnings(
        sidecar(
          'dup',
          '{egress: [{hosts: ["./reviews", "shop/reviews", "istio-system/*", "istio-system/istiod"]}]}',
        ) + sidecar('all', '{egress: [{hosts: ["*/*", "shop/ratings"]}]}'),
      ),
    ).toEqual([
      [
        'dup',
        '/spec/egress/0/hosts/1',
        'duplicated egress host: shop/reviews.',
      ],
      [
        'dup',
        '/spec/egress/0/hosts/3',
        'duplicated egress host: istio-system/istiod.',
      ],
      [
        'all',
        '/spec/egress/0/hosts',
        '`*/*` host select all resources, no other hosts can be added.',
      ],
    ]);
  });

  it("warns on ingress TLS settings and an HTTP pool on a port that isn't HTTP", () => {
    expect(
      warnings(
        sidecar(
          'ingress',
          '{ingress: [{port: {number: 9443, name: tls, protocol: HTTPS}, defaultEndpoint: "127.0.0.1:9080", tls: {mode: SIMPLE, privateKey: /k.pem, serverCertificate: /c.pem, cipherSuites: [NOPE]}}, {port: {number: 9000, name: db, protocol: TCP}, defaultEndpoint: "127.0.0.1:9000", connectionPool: {http: {http1MaxPendingRequests: 10}}}]}',
        ),
      ),
    ).toEqual([
      [
        'ingress',
        '/spec/ingress/0/tls/cipherSuites',
        'ignoring invalid cipher suites: [NOPE].',
      ],
      [
        'ingress',
        '/spec/ingress/1/connectionPool/http',
        'sidecar: HTTP connection pool settings are configured for port 9000 ("db") but its protocol is not HTTP (TCP); only TCP settings will apply.',
      ],
    ]);
  });

  it('is quiet on distinct hosts per listener, HTTP pools on HTTP ports, and empty Sidecars', () => {
    expect(
      warnings(
        sidecar(
          'ok',
          '{egress: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["./reviews"]}, {hosts: ["./reviews", "~/other", "~/other", "istio-system/*"]}], ingress: [{port: {number: 9080, name: http, protocol: HTTP}, defaultEndpoint: "127.0.0.1:9080", connectionPool: {http: {http1MaxPendingRequests: 10}}}]}',
        ) +
          // nothing configured is an error returned alone
          sidecar('empty', '{workloadSelector: {labels: {}}}') +
          // a rejected selector too
          sidecar(
            'wild',
            '{workloadSelector: {labels: {app: "*"}}, egress: [{hosts: ["./a", "./a"]}]}',
          ),
      ),
    ).toEqual([]);
  });
});
