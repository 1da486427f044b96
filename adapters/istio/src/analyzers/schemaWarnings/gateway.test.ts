import { warnings } from '../__testUtils__/schemaWarnings';

const gateway = (name: string, servers: string) => `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers: ${servers}
`;
const https = (tls: string) =>
  `[{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*"], tls: ${tls}}]`;

describe('MS0272 on Gateways', () => {
  it('warns on TLS below 1.2 without ciphers, invalid and duplicate cipher suites', () => {
    expect(
      warnings(
        gateway(
          'old',
          https(
            '{mode: SIMPLE, credentialName: cert, minProtocolVersion: TLSV1_1}',
          ),
        ) +
          gateway(
            'ciphers',
            https(
              '{mode: SIMPLE, credentialName: cert, cipherSuites: [ECDHE-RSA-AES128-SHA, NOPE, AES128-SHA, ECDHE-RSA-AES128-SHA, BAD, "-AES256-SHA", ALL]}',
            ),
          ),
      ),
    ).toEqual([
      [
        'old',
        '/spec/servers/0/tls/minProtocolVersion',
        'TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.',
      ],
      [
        'ciphers',
        '/spec/servers/0/tls/cipherSuites',
        'ignoring duplicate cipher suites: [ECDHE-RSA-AES128-SHA].',
      ],
      [
        'ciphers',
        '/spec/servers/0/tls/cipherSuites',
        'ignoring invalid cipher suites: [BAD NOPE].',
      ],
    ]);
  });

  it('warns on certificates of passthrough servers and more than 2 server certificates', () => {
    const certs =
      '[{serverCertificate: /a.pem, privateKey: /a.key}, {serverCertificate: /b.pem, privateKey: /b.key}, {serverCertificate: /c.pem, privateKey: /c.key}]';
    expect(
      warnings(
        gateway('pass', https('{credentialName: cert}')) +
          gateway(
            'auto',
            '[{port: {number: 15443, name: tls, protocol: TLS}, hosts: ["*.local"], tls: {mode: AUTO_PASSTHROUGH, caCertificates: /ca.pem}}]',
          ) +
          gateway(
            'many',
            https(
              `{mode: MUTUAL, caCertificates: /ca.pem, tlsCertificates: ${certs}}`,
            ),
          ),
      ),
    ).toEqual([
      [
        'pass',
        '/spec/servers/0/tls',
        'PASSTHROUGH mode does not use certificates, they will be ignored.',
      ],
      [
        'auto',
        '/spec/servers/0/tls',
        'AUTO_PASSTHROUGH mode does not use certificates, they will be ignored.',
      ],
      [
        'many',
        '/spec/servers/0/tls/tlsCertificates',
        'MUTUAL TLS can support up to 2 server certificates.',
      ],
    ]);
  });

  it('warns on httpsRedirect on a server that is not HTTP', () => {
    expect(
      warnings(
        gateway(
          'redirect',
          '[{port: {number: 443, name: tls, protocol: TLS}, hosts: ["*"], tls: {mode: PASSTHROUGH, httpsRedirect: true}}]',
        ),
      ),
    ).toEqual([
      [
        'redirect',
        '/spec/servers/0/tls/httpsRedirect',
        'tls.httpsRedirect should only be used with http servers.',
      ],
    ]);
  });

  it('is quiet on the near misses', () => {
    const certs =
      '[{serverCertificate: /a.pem, privateKey: /a.key}, {serverCertificate: /b.pem, privateKey: /b.key}, {serverCertificate: /c.pem, privateKey: /c.key}]';
    expect(
      warnings(
        // TLS 1.1 with ciphers; TLS 1.2 without
        gateway(
          'a',
          https(
            '{mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_0, cipherSuites: [AES128-SHA]}',
          ),
        ) +
          gateway(
            'b',
            https(
              '{mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_2}',
            ),
          ) +
          // ISTIO_MUTUAL returns before the certificate checks; passthrough without certificates
          gateway('c', https('{mode: ISTIO_MUTUAL}')) +
          gateway('d', https('{mode: PASSTHROUGH}')) +
          // remote credentials return before the count of server certificates
          gateway(
            'e',
            https(
              `{mode: SIMPLE, credentialName: c, tlsCertificates: ${certs}}`,
            ),
          ) +
          // httpsRedirect on an HTTP server (what it is for)
          gateway(
            'f',
            '[{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"], tls: {httpsRedirect: true}}]',
          ),
      ),
    ).toEqual([]);
  });
});
