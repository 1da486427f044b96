import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, LinkerdCode, POLICY_VERSION, specOf } from './common';

const CODE: LinkerdCode = {
  code: 'MS0320',
  name: 'ServerAuthorizationRejected',
  severity: 'error',
  summary:
    "A ServerAuthorization's client is contradictory and Linkerd's policy admission webhook rejects it: `unauthenticated: true` with `meshTLS`, or `meshTLS.unauthenticatedTLS: true` with identities or service accounts.",
  help: 'Authorize either unauthenticated clients or meshed ones, and with `unauthenticatedTLS` list no identities or service accounts (or split it into two ServerAuthorizations).',
};

/**
 * MS0320: the client rules of Linkerd's policy admission webhook for ServerAuthorizations
 * (`Validate<ServerAuthorizationSpec>`; its networks are MS0319's).
 * @public
 */
export const serverAuthorizationRulesAnalyzer: Analyzer = {
  id: 'linkerd.server-authorization-rules',
  description: CODE.summary,
  inputs: [inputs.serverAuthorization],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const sa of snapshot.list(POLICY_VERSION, 'ServerAuthorization')) {
      const client = specOf(sa).client;
      const mtls = client?.meshTLS;
      if (!mtls || typeof mtls !== 'object') continue;
      const reject = (path: string, message: string) =>
        out.push(
          findingFor(
            CODE,
            sa,
            path,
            `Linkerd rejects ServerAuthorization "${sa.metadata.name}": ${message}.`,
          ),
        );
      if (client.unauthenticated === true)
        reject(
          '/spec/client/unauthenticated',
          '`unauthenticated` must be false if `meshTLS` is specified',
        );
      if (
        mtls.unauthenticatedTLS === true &&
        arr(mtls.identities).length + arr(mtls.serviceAccounts).length > 0
      )
        reject(
          '/spec/client/meshTLS/unauthenticatedTLS',
          '`unauthenticatedTLS` must be false if any `identities` or `serviceAccounts` are specified',
        );
    }
    return out;
  },
};
