import { isIP } from 'node:net';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';

const KB = 1024;
const MB = 1024 * KB;

/** The first gateway name without a `/` ends Istio's check of the names; a dotted one warns. */
function legacyGatewayName(gateways: unknown[], path: string): SchemaWarning[] {
  for (const [i, value] of gateways.entries()) {
    const name = String(value);
    if (name.includes('/')) continue;
    if (!name.includes('.')) return [];
    const [gw, ns] = name.split('.');
    return [
      {
        path: `${path}/${i}`,
        text: `using legacy gatewayName format ${JSON.stringify(
          name,
        )}; prefer the <namespace>/<name> format: ${JSON.stringify(
          `${ns}/${gw}`,
        )}`,
      },
    ];
  }
  return [];
}

/** Size in bytes of a direct response body (`string`, or base64 `bytes`). */
function bodySize(body: Record<string, any>): number {
  if (typeof body.string === 'string') return Buffer.byteLength(body.string);
  if (typeof body.bytes === 'string')
    return Buffer.from(body.bytes, 'base64').length;
  return 0;
}

/**
 * A VirtualService's warnings: a legacy `name.namespace` gateway name (of the VirtualService or a
 * TLS match), `mirrorPercent` (deprecated), direct responses over 100KB (up to the 1MB error), an
 * IP address as a TLS match's SNI host. Istio drops the same gateway-name warning on HTTP and TCP
 * matches (folded in as errors only). Istio's warning for a fault abort without
 * an error type never reaches its result (the fault's warnings are folded in as errors only), so it
 * is not reported.
 */
export function virtualServiceWarnings(service: KubeObject): SchemaWarning[] {
  const spec = specOf(service);
  const out = legacyGatewayName(arr(spec.gateways), '/spec/gateways');
  arr(spec.http).forEach((value, i) => {
    if (absent(value)) return;
    const route = obj(value);
    // A UInt32Value is a bare number in YAML; anything else does not parse in Istio, no warning.
    if (/^\d+$/.test(String(route.mirrorPercent ?? '')))
      out.push({
        path: `/spec/http/${i}/mirrorPercent`,
        text: 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead',
      });
    const size = bodySize(obj(obj(route.directResponse).body));
    if (!absent(route.directResponse) && size > 100 * KB && size <= MB)
      out.push({
        path: `/spec/http/${i}/directResponse/body`,
        text: 'large direct_responses may impact control plane performance',
      });
  });
  arr(spec.tls).forEach((route, i) => {
    if (absent(route)) return;
    arr(obj(route).match).forEach((match, j) => {
      if (absent(match)) return;
      const path = `/spec/tls/${i}/match/${j}`;
      arr(obj(match).sniHosts).forEach((sni, k) => {
        if (isIP(String(sni)))
          out.push({
            path: `${path}/sniHosts/${k}`,
            text: `using an IP address (${JSON.stringify(
              String(sni),
            )}) goes against SNI spec and most clients do not support this`,
          });
      });
      out.push(
        ...legacyGatewayName(arr(obj(match).gateways), `${path}/gateways`),
      );
    });
  });
  return out;
}
