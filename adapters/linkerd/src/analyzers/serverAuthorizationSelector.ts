import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor, selectorMatches } from '@meshstage/plugin-mesh-node';
import { inputs, LinkerdCode, POLICY_VERSION, specOf } from './common';

const CODE: LinkerdCode = {
  code: 'MS0324',
  name: 'ServerAuthorizationSelectsNoServer',
  severity: 'warning',
  summary:
    "A ServerAuthorization's `server.selector` matches no Server in its namespace, so it authorizes nothing.",
  help: 'Fix `spec.server.selector` to match the labels of the Server(s) it is for, or name the Server with `spec.server.name`.',
};

/**
 * MS0324 (MeshStage's own; Linkerd accepts it silently): ServerAuthorizations selecting Servers
 * by label where no Server of their namespace carries the labels. Concluded only when the
 * namespace has Servers in view, as a directory of manifests may hold the policy alone.
 * @public
 */
export const serverAuthorizationSelectorAnalyzer: Analyzer = {
  id: 'linkerd.server-authorization-selector',
  description: CODE.summary,
  inputs: [inputs.server, inputs.serverAuthorization],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list(POLICY_VERSION, 'ServerAuthorization').flatMap(sa => {
      const selector = specOf(sa).server?.selector;
      if (!selector || typeof selector !== 'object') return [];
      const servers = snapshot.list(
        POLICY_VERSION,
        'Server',
        sa.metadata.namespace,
      );
      if (
        servers.length === 0 ||
        servers.some(s => selectorMatches(selector, s.metadata.labels ?? {}))
      )
        return [];
      return [
        findingFor(
          CODE,
          sa,
          '/spec/server/selector',
          `ServerAuthorization "${sa.metadata.name}" selects none of the ${servers.length} Server(s) in namespace "${sa.metadata.namespace}".`,
        ),
      ];
    });
  },
};
