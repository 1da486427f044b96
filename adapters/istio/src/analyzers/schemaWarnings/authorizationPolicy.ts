import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import { emptyMatchLabels } from './matchLabelsSelector';
import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';

// Source fields that make a rule match TCP traffic too (anything else is HTTP only).
const TCP_SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'ipBlocks',
  'notIpBlocks',
  'namespaces',
  'notNamespaces',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'serviceAccounts',
  'notServiceAccounts',
];
const nonEmpty = (v: unknown) => arr(v).length > 0;

/** Whether a DENY rule uses only HTTP attributes in its `from` or `to`, as Istio decides it. */
function httpOnlyDenyRule(rule: Record<string, any>): boolean {
  const sources = arr(rule.from)
    .filter(f => !absent(f) && !absent(obj(f).source))
    .map(f => obj(obj(f).source));
  const operations = arr(rule.to)
    .filter(t => !absent(t) && !absent(obj(t).operation))
    .map(t => obj(obj(t).operation));
  const tcpInFrom = sources.some(s =>
    TCP_SOURCE_FIELDS.some(f => nonEmpty(s[f])),
  );
  const tcpInTo = operations.some(
    o => nonEmpty(o.ports) || nonEmpty(o.notPorts),
  );
  return (
    (sources.length > 0 && operations.length === 0 && !tcpInFrom) ||
    (operations.length > 0 && !tcpInTo)
  );
}

/** An AuthorizationPolicy's warnings: a selector without labels, DENY rules on HTTP attributes only. */
export function authorizationPolicyWarnings(
  policy: KubeObject,
): SchemaWarning[] {
  const spec = specOf(policy);
  const out = emptyMatchLabels(spec.selector, '/spec/selector');
  if (spec.action !== 'DENY' && spec.action !== 1) return out;
  arr(spec.rules).forEach((rule, i) => {
    if (!absent(rule) && httpOnlyDenyRule(obj(rule)))
      out.push({
        path: `/spec/rules/${i}`,
        text: 'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port',
      });
  });
  return out;
}
