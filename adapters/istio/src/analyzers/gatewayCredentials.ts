import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { X509Certificate } from 'node:crypto';
import { inputs, IstioCode } from './common';
import { gatewayCredentialRefs } from './gatewayCredentialRefs';

const CODE: IstioCode = {
  code: 'MS0250',
  name: 'InvalidGatewayCredential',
  severity: 'error',
  summary:
    "A Gateway server's TLS `credentialName` Secret exists but holds no usable certificate: neither `cert`/`key` nor `tls.crt`/`tls.key` with values, or a certificate that does not parse.",
  help: 'Put a PEM certificate and key in the Secret under `tls.crt` and `tls.key` (a `kubernetes.io/tls` Secret) or `cert` and `key`.',
  istioCode: 'IST0161',
};

/** The Secret's values as text (`data` decoded from base64, over it `stringData` as the API server merges it). */
function secretValues(secret: KubeObject): Record<string, string> {
  const s = secret as {
    data?: Record<string, unknown>;
    stringData?: Record<string, unknown>;
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {}))
    if (typeof v === 'string')
      out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s.stringData ?? {}))
    if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Why Istio cannot serve a Secret's certificate, or undefined when it can. Istio reads
 * `cert`/`key`, else `tls.crt`/`tls.key`, both non-empty, parses the first PEM block of the
 * certificate and, at `now` (when given), checks its validity period.
 */
export function credentialProblem(
  secret: KubeObject,
  now?: number,
): string | undefined {
  const values = secretValues(secret);
  const pair = [
    ['cert', 'key'],
    ['tls.crt', 'tls.key'],
  ].find(([c, k]) => values[c] && values[k]);
  if (!pair) {
    const keys = Object.keys(values).sort();
    return `it has neither "cert" and "key" nor "tls.crt" and "tls.key" with values (keys: ${
      keys.join(', ') || 'none'
    })`;
  }
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(
    values[pair[0]],
  );
  if (!pem) return `its "${pair[0]}" is not PEM`;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(
      Buffer.from(pem[2].replace(/\s+/g, ''), 'base64'),
    );
  } catch {
    return `its "${pair[0]}" is not an X.509 certificate`;
  }
  if (now !== undefined) {
    if (now > Date.parse(cert.validTo))
      return `its certificate expired on ${new Date(
        cert.validTo,
      ).toISOString()}`;
    if (now < Date.parse(cert.validFrom))
      return `its certificate is not valid before ${new Date(
        cert.validFrom,
      ).toISOString()}`;
  }
  return undefined;
}

/**
 * MS0250 (IST0161): Gateway TLS servers whose `credentialName` Secret (looked up where the gateway
 * workload runs, see `gatewayWorkloadNamespaces`) exists but has no usable certificate (see
 * `credentialProblem`), or whose certificate is expired or not yet valid at the time the caller
 * gives (`ctx.now`; the CLI and the backend give the current time). A missing Secret is MS0204.
 * @public
 */
export const gatewayCredentialsAnalyzer: Analyzer = {
  id: 'istio.gateway-credentials',
  description: CODE.summary,
  inputs: [
    inputs.gateway,
    inputs.secret,
    inputs.pod,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return gatewayCredentialRefs(snapshot, ctx).flatMap(ref => {
      const secret = ref.namespaces
        .map(n => snapshot.get('v1', 'Secret', n, ref.secretName))
        .find(Boolean);
      const problem = secret && credentialProblem(secret, ctx.now);
      if (!secret || !problem) return [];
      return [
        findingFor(
          CODE,
          ref.gateway,
          `/spec/servers/${ref.server}/tls/credentialName`,
          `Gateway credential Secret "${secret.metadata.namespace}/${ref.secretName}" cannot be used: ${problem}.`,
        ),
      ];
    });
  },
};
