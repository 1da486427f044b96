import type { Analyzer, FindingCodeInfo } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';

const CODE: FindingCodeInfo = {
  code: 'MS0105',
  name: 'PortNameNotUnderNamingConvention',
  severity: 'info',
  summary:
    'A Service port has neither `appProtocol` nor a name of the form `<protocol>[-<suffix>]`, so meshes cannot tell its protocol.',
  help: 'Set `appProtocol` (e.g. `http`, `grpc`, `tcp`) on the port, or name it `<protocol>` or `<protocol>-<suffix>` (e.g. `http-web`).',
  istioCode: 'IST0118',
};

/** Protocol prefixes meshes recognise in port names (Istio's list; Linkerd reads appProtocol). */
export const PORT_PROTOCOLS = [
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'tcp',
  'tls',
  'udp',
  'mongo',
  'mysql',
  'redis',
];

/** The protocol a Service port declares by `appProtocol` or name, or `undefined`. */
export function declaredProtocol(port: {
  name?: string;
  appProtocol?: string;
}): string | undefined {
  if (port.appProtocol) return port.appProtocol.toLowerCase();
  const name = (port.name ?? '').toLowerCase();
  // Longest first so `grpc-web-x` reads as grpc-web, not grpc.
  return [...PORT_PROTOCOLS]
    .sort((a, b) => b.length - a.length)
    .find(p => name === p || name.startsWith(`${p}-`));
}

/** MS0105: Service ports whose protocol cannot be told from name or appProtocol. @public */
export const servicePortNamingAnalyzer: Analyzer = {
  id: 'generic.service-port-naming',
  description: CODE.summary,
  inputs: [{ apiVersion: 'v1', kind: 'Service' }],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list('v1', 'Service').flatMap(svc => {
      const spec = (svc.spec ?? {}) as Record<string, any>;
      if (spec.type === 'ExternalName') return [];
      const ports: Array<Record<string, any>> = spec.ports ?? [];
      return ports.flatMap((port, i) => {
        if (declaredProtocol(port)) return [];
        return [
          findingFor(
            CODE,
            svc,
            port.name !== undefined
              ? `/spec/ports/${i}/name`
              : `/spec/ports/${i}`,
            `Port ${port.port}${
              port.name ? ` "${port.name}"` : ''
            } of Service "${
              svc.metadata.name
            }" does not declare its protocol: name it "<protocol>[-<suffix>]" or set appProtocol.`,
          ),
        ];
      });
    });
  },
};
