import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';
import { IstioHosts, toFqdn } from './istioHosts';

const CODE: IstioCode = {
  code: 'MS0201',
  name: 'VirtualServiceDestinationHostNotFound',
  severity: 'error',
  summary:
    'A VirtualService routes (or mirrors) to a host, or a host and port, that no Service or ServiceEntry visible to it defines.',
  help: "Fix the host name (a short name means a Service in the VirtualService's namespace; other names are taken literally, so use the FQDN for another namespace's Service), create the Service, declare an external host with a ServiceEntry, or fix its exportTo; for a port, use one the Service or ServiceEntry declares.",
  istioCode: 'IST0101',
};

const PORT_REQUIRED: IstioCode = {
  code: 'MS0231',
  name: 'VirtualServiceDestinationPortSelectorRequired',
  severity: 'error',
  summary:
    'A VirtualService destination names no port while its Service or ServiceEntry declares several.',
  help: 'Add `port: {number: <port>}` to the destination.',
  istioCode: 'IST0112',
};

/** A destination of a VirtualService route or HTTP mirror. */
export interface VirtualServiceDestination {
  host: string;
  subset?: string;
  port?: unknown;
  mirror: boolean;
  path: string;
}

/**
 * Every destination of a VirtualService, with its JSON pointer: `route` destinations of `http`,
 * `tcp` and `tls` rules, and the `mirror` and `mirrors` of `http` rules (the ones istioctl checks).
 */
export function destinations(
  vs: Record<string, any>,
): VirtualServiceDestination[] {
  const out: VirtualServiceDestination[] = [];
  for (const section of ['http', 'tcp', 'tls'] as const) {
    arr(vs[section]).forEach((rule: any, i: number) => {
      arr(rule?.route).forEach((route: any, j: number) => {
        // A route without a destination host is an empty host to istioctl (never found).
        const d = route?.destination;
        out.push({
          host: typeof d?.host === 'string' ? d.host : '',
          subset: d?.subset,
          port: d?.port,
          mirror: false,
          path: `/spec/${section}/${i}/route/${j}/destination`,
        });
      });
      if (section !== 'http') return;
      if (typeof rule?.mirror?.host === 'string') {
        out.push({
          host: rule.mirror.host,
          subset: rule.mirror.subset,
          port: rule.mirror.port,
          mirror: true,
          path: `/spec/http/${i}/mirror`,
        });
      }
      arr(rule?.mirrors).forEach((m: any, k: number) => {
        if (typeof m?.destination?.host === 'string') {
          out.push({
            host: m.destination.host,
            subset: m.destination.subset,
            port: m.destination.port,
            mirror: true,
            path: `/spec/http/${i}/mirrors/${k}/destination`,
          });
        }
      });
    });
  }
  return out;
}

/**
 * MS0201 (IST0101) and MS0231 (IST0112): VirtualService destinations (routes of every protocol,
 * HTTP mirrors) that no Service or ServiceEntry visible to the VirtualService defines, as
 * istioctl resolves them (see istioHosts.ts: short names in the VirtualService's namespace, other
 * names literally, `exportTo` scopes of both sides, wildcard ServiceEntry hosts); a destination
 * port the host does not declare; a destination without a port on a host with several.
 * @public
 */
export const virtualServiceHostsAnalyzer: Analyzer = {
  id: 'istio.virtualservice-destination-hosts',
  description: CODE.summary,
  inputs: [inputs.virtualService, inputs.service, inputs.serviceEntry],
  codes: [CODE, PORT_REQUIRED],
  analyze(snapshot) {
    const hosts = new IstioHosts(snapshot);
    const out: Finding[] = [];
    for (const vs of snapshot.list(NETWORKING, 'VirtualService')) {
      const spec = specOf(vs);
      const ns = vs.metadata.namespace;
      for (const d of destinations(spec)) {
        const what = d.mirror ? 'mirror host' : 'host';
        const entry = hosts.resolve(ns, spec.exportTo, d.host);
        if (!entry) {
          out.push(
            findingFor(
              CODE,
              vs,
              `${d.path}/host`,
              `Referenced ${what} not found: "${
                d.host
              }" (no Service or ServiceEntry visible in namespace "${
                ns ?? 'default'
              }" defines ${toFqdn(ns, d.host)}).`,
            ),
          );
          continue;
        }
        if (d.port === undefined || d.port === null) {
          if (entry.ports.length > 1) {
            out.push(
              findingFor(
                PORT_REQUIRED,
                vs,
                d.path,
                `The destination "${d.host}" names no port, and ${
                  entry.object.kind
                } ${entry.object.metadata.namespace}/${
                  entry.object.metadata.name
                } has several (${entry.ports.join(', ')}).`,
              ),
            );
          }
          continue;
        }
        const number = Number((d.port as any)?.number ?? 0);
        if (!entry.ports.includes(number)) {
          out.push(
            findingFor(
              CODE,
              vs,
              `${d.path}/port`,
              `Referenced host:port not found: "${d.host}:${number}" (${
                entry.object.kind
              } ${entry.object.metadata.namespace}/${
                entry.object.metadata.name
              } declares ${
                entry.ports.length ? entry.ports.join(', ') : 'no ports'
              }).`,
            ),
          );
        }
      }
    }
    return out;
  },
};
