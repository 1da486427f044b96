import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0251',
  name: 'GatewayDuplicateCertificate',
  severity: 'warning',
  summary:
    'Gateways for the same gateway workload serve the same certificate, which may cause 404s when clients reuse HTTP/2 connections across their hosts.',
  help: 'Serve each certificate from one Gateway (merge the servers), or give each Gateway its own certificate.',
  istioCode: 'IST0138',
};

/** Whether two servers' TLS settings name the same certificate, as istioctl compares them. */
function sameCertificate(a: any, b: any): boolean {
  if (a.credentialName && b.credentialName)
    return a.credentialName === b.credentialName;
  if (a.credentialName || b.credentialName) return false;
  return Boolean(
    a.serverCertificate &&
      a.serverCertificate === b.serverCertificate &&
      a.privateKey &&
      a.privateKey === b.privateKey,
  );
}

/** Whether every key of `x` is in `y` with the same value. */
const subset = (x: Record<string, string>, y: Record<string, string>) =>
  Object.entries(x).every(([k, v]) => k in y && y[k] === v);

const id = (gw: KubeObject) =>
  `${gw.metadata.namespace ?? 'default'}/${gw.metadata.name}`;

/**
 * MS0251 (IST0138): for each Gateway, the other Gateways whose selector includes its own (all of
 * them when it has none) with a TLS server serving the same certificate: the same
 * `credentialName`, or without credential names the same `serverCertificate` and `privateKey`.
 * One finding per pair, on each Gateway of it.
 * @public
 */
export const gatewayDuplicateCertificatesAnalyzer: Analyzer = {
  id: 'istio.gateway-duplicate-certificates',
  description: CODE.summary,
  inputs: [inputs.gateway],
  codes: [CODE],
  analyze(snapshot) {
    const gateways = snapshot.list(NETWORKING, 'Gateway');
    const tlsOf = (gw: KubeObject) =>
      arr(specOf(gw).servers)
        .map((s: any) => s?.tls)
        .filter((t: any) => t && typeof t === 'object');
    return gateways.flatMap(gw => {
      const selector = (specOf(gw).selector ?? {}) as Record<string, string>;
      const mine = tlsOf(gw);
      return gateways
        .filter(
          other =>
            other !== gw &&
            subset(
              selector,
              (specOf(other).selector ?? {}) as Record<string, string>,
            ) &&
            mine.some(a => tlsOf(other).some(b => sameCertificate(a, b))),
        )
        .map(other =>
          findingFor(
            CODE,
            gw,
            '/metadata/name',
            `Gateways ${id(gw)} and ${id(
              other,
            )} serve the same certificate for the same gateway workload, which may cause 404s when clients reuse HTTP/2 connections.`,
          ),
        );
    });
  },
};
