/**
 * The protocol Istio gives a Service port (pure): UDP by transport; else the `appProtocol`, else
 * the port name, read up to its first `-` (`http-web` is HTTP; `grpc-web` as a whole); a port
 * whose name says nothing is TCP only on the well-known TCP ports (SMTP, DNS, MySQL, MongoDB),
 * otherwise `undefined` (Istio's "unsupported": sniffed at run time).
 */
const PROTOCOLS: Record<string, string> = {
  tcp: 'TCP',
  udp: 'UDP',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-Web',
  http: 'HTTP',
  http_proxy: 'HTTP_PROXY',
  http2: 'HTTP2',
  https: 'HTTPS',
  tls: 'TLS',
  mongo: 'Mongo',
  redis: 'Redis',
  mysql: 'MySQL',
};

/** Kubernetes' standard appProtocol names. */
const KUBERNETES_APP_PROTOCOLS: Record<string, string> = {
  'kubernetes.io/h2c': 'HTTP2',
  'kubernetes.io/ws': 'HTTP',
  'kubernetes.io/wss': 'HTTPS',
};

const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/** A Service port as analyzers read it. */
export interface ServicePort {
  name?: unknown;
  port?: unknown;
  protocol?: unknown;
  appProtocol?: unknown;
}

/** Istio's protocol for a Service port, or `undefined` when Istio cannot tell it. */
export function istioPortProtocol(port: ServicePort): string | undefined {
  if (port.protocol === 'UDP') return 'UDP';
  let name = typeof port.name === 'string' ? port.name : '';
  if (typeof port.appProtocol === 'string') {
    name = port.appProtocol;
    if (KUBERNETES_APP_PROTOCOLS[name]) return KUBERNETES_APP_PROTOCOLS[name];
  }
  if (name.toLowerCase().startsWith('grpc-web')) return 'GRPC-Web';
  const prefix = name.split('-')[0].toLowerCase();
  const protocol = PROTOCOLS[prefix];
  if (protocol) return protocol;
  return WELL_KNOWN_TCP_PORTS.has(Number(port.port)) ? 'TCP' : undefined;
}
