import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { parseCidrOrIp, rangeContains } from './cidr';
import {
  arr,
  inputs,
  LinkerdCode,
  POLICY,
  POLICY_VERSION,
  specOf,
} from './common';

const CODE: LinkerdCode = {
  code: 'MS0319',
  name: 'NetworkRejected',
  severity: 'error',
  summary:
    "A NetworkAuthentication, EgressNetwork or ServerAuthorization lists networks Linkerd's policy admission webhook rejects: none at all, a `cidr` or `except` that is not an IP address or CIDR, or an exception outside its network or covering all of it.",
  help: 'List at least one network; write each `cidr` and `except` as an address or CIDR (`10.0.0.0/8`), each exception inside its `cidr` and smaller than it.',
};

/** EgressNetwork: Linkerd's egress policy (its `networks` are optional). */
const EGRESS_NETWORK = {
  apiVersion: `${POLICY}/v1alpha1`,
  kind: 'EgressNetwork',
};

/** Problems of one `networks` list at `base`, in Linkerd's words. */
function networkProblems(
  networks: unknown[],
  base: string,
): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  networks.forEach((net: any, i) => {
    const at = `${base}/${i}`;
    if (typeof net?.cidr !== 'string') return; // a schema problem (MS0308), not this rule's
    const cidr = parseCidrOrIp(net.cidr);
    if (!cidr) {
      out.push({
        path: `${at}/cidr`,
        message: `not a valid CIDR or IP address: ${net.cidr}`,
      });
      return;
    }
    arr(net.except).forEach((ex: unknown, j) => {
      if (typeof ex !== 'string') return;
      const range = parseCidrOrIp(ex);
      const path = `${at}/except/${j}`;
      if (!range)
        out.push({ path, message: `not a valid CIDR or IP address: ${ex}` });
      else if (rangeContains(range, cidr))
        out.push({
          path,
          message: `cidr '${net.cidr}' is completely negated by exception '${ex}'`,
        });
      else if (!rangeContains(cidr, range))
        out.push({
          path,
          message: `cidr '${net.cidr}' does not include exception '${ex}'`,
        });
    });
  });
  return out;
}

/**
 * MS0319: the networks rules of Linkerd's policy admission webhook (`validate_networks` for
 * NetworkAuthentication and EgressNetwork, the same rules for a ServerAuthorization's
 * `client.networks`), and addresses its parser rejects.
 * @public
 */
export const networkRulesAnalyzer: Analyzer = {
  id: 'linkerd.network-rules',
  description: CODE.summary,
  inputs: [
    inputs.networkAuthentication,
    inputs.serverAuthorization,
    EGRESS_NETWORK,
  ],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    const report = (
      obj: KubeObject,
      problems: Array<{ path: string; message: string }>,
    ) => {
      for (const p of problems)
        out.push(
          findingFor(
            CODE,
            obj,
            p.path,
            `Linkerd rejects ${obj.kind} "${obj.metadata.name}": ${p.message}.`,
          ),
        );
    };
    for (const kind of ['NetworkAuthentication', 'EgressNetwork']) {
      for (const obj of snapshot.list(POLICY_VERSION, kind)) {
        const networks = specOf(obj).networks;
        // NetworkAuthentication requires networks; an EgressNetwork may omit them.
        if (networks === undefined && kind === 'EgressNetwork') continue;
        if (Array.isArray(networks) && networks.length === 0) {
          report(obj, [
            {
              path: '/spec/networks',
              message: 'at least one network must be specified',
            },
          ]);
          continue;
        }
        report(obj, networkProblems(arr(networks), '/spec/networks'));
      }
    }
    for (const sa of snapshot.list(POLICY_VERSION, 'ServerAuthorization')) {
      report(
        sa,
        networkProblems(
          arr(specOf(sa).client?.networks),
          '/spec/client/networks',
        ),
      );
    }
    return out;
  },
};
