import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import { serverTlsWarnings } from './serverTls';
import type { SchemaWarning } from './warning';
import { absent, isHttpProtocol, obj } from './warning';

/** A Gateway's warnings: each server's TLS settings, then `httpsRedirect` on non-HTTP servers. */
export function gatewayWarnings(gateway: KubeObject): SchemaWarning[] {
  const servers = arr(specOf(gateway).servers);
  const out = servers.flatMap((server, i) =>
    absent(server)
      ? []
      : serverTlsWarnings(obj(server).tls, `/spec/servers/${i}/tls`),
  );
  servers.forEach((server, i) => {
    const s = obj(server);
    if (
      !absent(s.port) &&
      !isHttpProtocol(obj(s.port).protocol) &&
      obj(s.tls).httpsRedirect === true
    )
      out.push({
        path: `/spec/servers/${i}/tls/httpsRedirect`,
        text: 'tls.httpsRedirect should only be used with http servers',
      });
  });
  return out;
}
