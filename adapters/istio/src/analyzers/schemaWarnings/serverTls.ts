import type { SchemaWarning } from './warning';
import { goList, obj, present } from './warning';

/** The cipher suites Istio accepts in server TLS settings (BoringSSL's, without PSK). */
const VALID_CIPHER_SUITES = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
]);

/** Istio lets through `ALL`, the empty name and expressions (`-X`, `+X`, `!X`) unparsed. */
function validCipherSuite(cs: string): boolean {
  if (cs === '' || cs === 'ALL') return true;
  if (!/^[\p{L}\p{N}]/u.test(cs)) return true;
  return VALID_CIPHER_SUITES.has(cs);
}

// Enum values by name or number, as Istio reads them; PASSTHROUGH and TLS_AUTO are the zeros.
const MODES = [
  'PASSTHROUGH',
  'SIMPLE',
  'MUTUAL',
  'AUTO_PASSTHROUGH',
  'ISTIO_MUTUAL',
  'OPTIONAL_MUTUAL',
];
const VERSIONS = ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'];
const enumName = (names: string[], v: unknown): string =>
  typeof v === 'number' ? names[v] ?? String(v) : String(v ?? names[0]);

/**
 * The warnings of a server's TLS settings (a Gateway server's or a Sidecar ingress listener's), at
 * `path`: TLS below 1.2 without ciphers, invalid or duplicate cipher suites, certificates on a
 * passthrough server, more than 2 server certificates.
 */
export function serverTlsWarnings(
  tlsValue: unknown,
  path: string,
): SchemaWarning[] {
  if (tlsValue === undefined || tlsValue === null) return [];
  const tls = obj(tlsValue);
  const out: SchemaWarning[] = [];
  const ciphers = Array.isArray(tls.cipherSuites)
    ? tls.cipherSuites.map(String)
    : [];
  const minVersion = enumName(VERSIONS, tls.minProtocolVersion);
  if ((minVersion === 'TLSV1_0' || minVersion === 'TLSV1_1') && !ciphers.length)
    out.push({
      path: `${path}/minProtocolVersion`,
      text: 'TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.',
    });
  const invalid = new Set<string>();
  const valid = new Set<string>();
  const duplicate = new Set<string>();
  for (const cs of ciphers) {
    if (!validCipherSuite(cs)) invalid.add(cs);
    else if (valid.has(cs)) duplicate.add(cs);
    else valid.add(cs);
  }
  if (invalid.size)
    out.push({
      path: `${path}/cipherSuites`,
      text: `ignoring invalid cipher suites: ${goList([...invalid].sort())}`,
    });
  if (duplicate.size)
    out.push({
      path: `${path}/cipherSuites`,
      text: `ignoring duplicate cipher suites: ${goList(
        [...duplicate].sort(),
      )}`,
    });

  const mode = enumName(MODES, tls.mode);
  // ISTIO_MUTUAL returns before the certificate checks.
  if (mode === 'ISTIO_MUTUAL') return out;
  const credentials =
    present(tls.credentialName) || present(tls.credentialNames);
  if (
    (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') &&
    (credentials ||
      [
        tls.caCrl,
        tls.serverCertificate,
        tls.privateKey,
        tls.caCertificates,
        tls.tlsCertificates,
      ].some(present))
  )
    out.push({
      path,
      text: `${mode} mode does not use certificates, they will be ignored`,
    });
  const terminating = ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'].includes(mode);
  // Remote credentials return before the count of server certificates.
  if (terminating && !credentials && Array.isArray(tls.tlsCertificates)) {
    if (tls.tlsCertificates.length > 2)
      out.push({
        path: `${path}/tlsCertificates`,
        text: `${
          mode === 'SIMPLE' ? 'SIMPLE' : 'MUTUAL'
        } TLS can support up to 2 server certificates`,
      });
  }
  return out;
}
