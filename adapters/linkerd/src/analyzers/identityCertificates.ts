import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  algorithmProblem,
  describeCert,
  keyMatches,
  signedBy,
} from './certificates';
import { LinkerdCode } from './common';
import {
  CertificateSource,
  IDENTITY_INPUTS,
  identityMaterials,
  ISSUER_SECRET,
  parsed,
  TRUST_ROOTS,
} from './linkerdIdentity';

const UNREADABLE: LinkerdCode = {
  code: 'MS0310',
  name: 'IdentityIssuerUnreadable',
  severity: 'error',
  summary:
    "Linkerd's identity issuer or trust anchors cannot be read: the `linkerd-identity-issuer` Secret or a key of it is missing, its certificate or key does not parse or they do not match, or the trust anchors hold no certificate.",
  help: 'Recreate the `linkerd-identity-issuer` Secret with the issuer certificate and its key (`crt.pem`/`key.pem`, or `tls.crt`/`tls.key`/`ca.crt` for `kubernetes.io/tls`), and the trust anchors PEM in `linkerd-identity-trust-roots`.',
};
const ALGORITHM: LinkerdCode = {
  code: 'MS0311',
  name: 'IdentityCertificateAlgorithmUnsupported',
  severity: 'error',
  summary:
    "A Linkerd trust anchor or issuer certificate uses a key or signature algorithm Linkerd's identity does not support (issuer: ECDSA P-256; anchors: ECDSA P-256 or RSA 2048/4096).",
  help: 'Generate the certificate with an ECDSA P-256 key (`step certificate create ... --kty EC --crv P-256`) signed with SHA-256.',
};
const UNTRUSTED: LinkerdCode = {
  code: 'MS0314',
  name: 'IssuerNotTrusted',
  severity: 'error',
  summary:
    'The Linkerd identity issuer certificate is not signed by any trust anchor, or is not a CA, so the identity controller refuses it and no proxy gets a certificate.',
  help: 'Issue the issuer certificate from one of the trust anchors, as a CA (`--profile intermediate-ca`), or add its signer to the trust anchors.',
};

function describe(source: CertificateSource) {
  const o = source.object;
  return `${o.kind} "${o.metadata.namespace}/${o.metadata.name}"`;
}

/**
 * MS0310, MS0311, MS0314: the identity material `linkerd check` verifies under `linkerd-identity`
 * (`certificate config is valid`, `... using supported crypto algorithm`, `issuer cert is issued
 * by the trust anchor`), and what the identity controller refuses at start (an issuer that is not
 * a CA). A missing Secret or trust anchors are concluded only against a live cluster whose
 * `linkerd-identity` Deployment is in view.
 * @public
 */
export const identityCertificatesAnalyzer: Analyzer = {
  id: 'linkerd.identity-certificates',
  description:
    "Linkerd's identity issuer and trust anchors as `linkerd check` verifies them.",
  inputs: IDENTITY_INPUTS,
  codes: [UNREADABLE, ALGORITHM, UNTRUSTED],
  analyze(snapshot, ctx) {
    const out: Finding[] = [];
    for (const m of identityMaterials(snapshot)) {
      const secret = m.issuerSecret;
      if (!secret) {
        if (ctx.includesCluster && m.deployment)
          out.push(
            findingFor(
              UNREADABLE,
              m.deployment,
              '/metadata/name',
              `Secret "${m.namespace}/${ISSUER_SECRET}" does not exist: the identity controller has no issuer.`,
            ),
          );
      } else if (m.missingKeys.length) {
        out.push(
          findingFor(
            UNREADABLE,
            secret,
            (secret as { data?: unknown }).data ? '/data' : '',
            `Secret "${secret.metadata.name}" has no ${m.missingKeys
              .map(k => `"${k}"`)
              .join(', ')}, which the ${m.scheme} issuer scheme requires.`,
          ),
        );
      }
      const issuer = m.issuer?.certs[0]?.cert;
      if (m.issuer && !issuer)
        out.push(
          findingFor(
            UNREADABLE,
            m.issuer.object,
            m.issuer.path,
            `The issuer certificate in Secret "${secret?.metadata.name}" is not a PEM X.509 certificate.`,
          ),
        );
      if (issuer && m.issuerKey && !keyMatches(issuer, m.issuerKey.text))
        out.push(
          findingFor(
            UNREADABLE,
            secret!,
            m.issuerKey.path,
            `The issuer key in Secret "${
              secret!.metadata.name
            }" is not the private key of its certificate ${describeCert(
              issuer,
            )}.`,
          ),
        );
      if (m.anchors) {
        const bad = m.anchors.certs.filter(c => !c.cert);
        if (m.anchors.certs.length === 0 || bad.length)
          out.push(
            findingFor(
              UNREADABLE,
              m.anchors.object,
              m.anchors.path,
              m.anchors.certs.length === 0
                ? `The trust anchors in ${describe(
                    m.anchors,
                  )} hold no PEM certificate.`
                : `Trust anchor ${bad[0].index + 1} in ${describe(
                    m.anchors,
                  )} is not an X.509 certificate.`,
            ),
          );
      } else if (ctx.includesCluster && m.deployment) {
        out.push(
          findingFor(
            UNREADABLE,
            m.deployment,
            '/metadata/name',
            `ConfigMap "${m.namespace}/${TRUST_ROOTS}" does not exist: the identity controller has no trust anchors.`,
          ),
        );
      }

      const anchors = parsed(m.anchors);
      for (const a of anchors) {
        const problem = algorithmProblem(a, 'anchor');
        if (problem)
          out.push(
            findingFor(
              ALGORITHM,
              m.anchors!.object,
              m.anchors!.path,
              `Trust anchor ${describeCert(a)} ${problem}.`,
            ),
          );
      }
      if (!issuer) continue;
      const problem = algorithmProblem(issuer, 'issuer');
      if (problem)
        out.push(
          findingFor(
            ALGORITHM,
            m.issuer!.object,
            m.issuer!.path,
            `The issuer certificate ${describeCert(issuer)} ${problem}.`,
          ),
        );
      if (!issuer.ca)
        out.push(
          findingFor(
            UNTRUSTED,
            m.issuer!.object,
            m.issuer!.path,
            `The issuer certificate ${describeCert(
              issuer,
            )} is not a CA (basic constraints), so it cannot sign proxy certificates.`,
          ),
        );
      if (anchors.length && !anchors.some(a => signedBy(issuer, a)))
        out.push(
          findingFor(
            UNTRUSTED,
            m.issuer!.object,
            m.issuer!.path,
            `The issuer certificate ${describeCert(
              issuer,
            )} is not signed by any of the ${
              anchors.length
            } trust anchor(s) in ${describe(m.anchors!)}.`,
          ),
        );
    }
    return out;
  },
};
