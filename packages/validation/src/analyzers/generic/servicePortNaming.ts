import type {
  Analyzer,
  FindingCodeInfo,
  KubeObject,
} from '@meshstage/plugin-mesh-node';
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

/**
 * Namespaces istioctl drops from what it analyzes (Kubernetes' own and kind's storage): system
 * Services there are not the user's to rename, whatever the mesh.
 */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
]);

/** Ports whose protocol meshes take as TCP without a name: SMTP, DNS, MySQL, MongoDB. */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/** Labels of control-plane Services (Istio's `istio: ...`, `release: istio`) and managed gateways. */
function isControlPlane(svc: KubeObject): boolean {
  const labels = svc.metadata.labels ?? {};
  return (
    'istio' in labels ||
    labels.release === 'istio' ||
    'gateway.istio.io/managed' in labels
  );
}

/**
 * MS0105: Service ports whose protocol cannot be told from name or appProtocol. UDP ports and
 * well-known TCP ports need no name, and Services in system namespaces or of the control plane are
 * left alone, as istioctl leaves them.
 * @public
 */
export const servicePortNamingAnalyzer: Analyzer = {
  id: 'generic.service-port-naming',
  description: CODE.summary,
  inputs: [{ apiVersion: 'v1', kind: 'Service' }],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list('v1', 'Service').flatMap(svc => {
      const spec = (svc.spec ?? {}) as Record<string, any>;
      if (spec.type === 'ExternalName') return [];
      if (SYSTEM_NAMESPACES.has(svc.metadata.namespace ?? '')) return [];
      if (isControlPlane(svc)) return [];
      const ports: Array<Record<string, any>> = Array.isArray(spec.ports)
        ? spec.ports
        : [];
      return ports.flatMap((port, i) => {
        if (declaredProtocol(port)) return [];
        if (port.protocol === 'UDP' || WELL_KNOWN_TCP_PORTS.has(port.port))
          return [];
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
