/**
 * `linkerd check`'s "opaque ports are properly annotated" comparison of one Service and one pod
 * it selects, as linkerd2's healthcheck reads them: only the `config.linkerd.io/opaque-ports`
 * annotations themselves (split on commas, each entry a single port number, no ranges or spaces),
 * the Service's opaque ports followed through `targetPort` to the pod's container ports and back.
 * Pure; the caller decides which annotations the objects carry (see opaquePortsInjector.ts).
 */

/** A Service port as the API server stores it (`targetPort` defaulted to `port`). */
export interface OpaqueServicePort {
  port: number;
  /** A number, or the name of a container port. */
  targetPort: number | string;
}

/** A container port of the pod (init containers first, as Linkerd walks them). */
export interface OpaqueContainerPort {
  name?: string;
  containerPort: number;
}

/** What linkerd check compares for one Service and one of its pods. */
export interface OpaquePortsPair {
  serviceName: string;
  /** The Service's annotation; `undefined` when it has none. */
  serviceAnnotation?: string;
  ports: OpaqueServicePort[];
  /** How the pod is named in messages, e.g. `Deployment "db"`. */
  podName: string;
  /** The pod's annotation; `undefined` when it has none. */
  podAnnotation?: string;
  containerPorts: OpaqueContainerPort[];
}

/** The first mismatch linkerd check reports for a pair (it stops there, as linkerd does). */
export interface OpaquePortsMismatch {
  /** Which annotation needs the port: the Service's or the pod's. */
  fix: 'service' | 'pod';
  /** Index of the Service port concerned, when one is. */
  portIndex?: number;
  message: string;
}

const ANNOTATION = 'config.linkerd.io/opaque-ports';

/** Go's strconv.Atoi for what an annotation entry can be: digits only, optionally signed. */
function atoi(value: string): number | undefined {
  return /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

const isNamed = (p: OpaqueServicePort) => typeof p.targetPort === 'string';
const intTarget = (p: OpaqueServicePort) =>
  typeof p.targetPort === 'number' ? p.targetPort : 0;
const nameTarget = (p: OpaqueServicePort) =>
  typeof p.targetPort === 'string' ? p.targetPort : '';

/**
 * linkerd check's verdict on one Service and one pod: `undefined` when it passes.
 * @public
 */
export function opaquePortsMismatch(
  pair: OpaquePortsPair,
): OpaquePortsMismatch | undefined {
  const svcPorts = pair.serviceAnnotation?.split(',') ?? [];
  const podPorts = pair.podAnnotation?.split(',') ?? [];
  const { serviceName: svc, podName: pod } = pair;

  // Each opaque Service port: the container port it targets must be opaque on the pod.
  for (const entry of svcPorts) {
    const port = atoi(entry);
    if (port === undefined) {
      return {
        fix: 'service',
        message: `linkerd check cannot read "${entry}" in Service "${svc}"'s ${ANNOTATION} as a port number (it reads single ports, not ranges).`,
      };
    }
    const missing = podPortMissing(pair, podPorts, port);
    if (missing) return missing;
  }

  // Each opaque pod port that a Service port targets must be opaque on the Service.
  for (const entry of podPorts) {
    if (svcPorts.includes(entry)) continue;
    const port = atoi(entry);
    if (port === undefined) {
      return {
        fix: 'pod',
        message: `linkerd check cannot read "${entry}" in ${pod}'s ${ANNOTATION} as a port number (it reads single ports, not ranges).`,
      };
    }
    const byNumber = pair.ports.findIndex(p => intTarget(p) === port);
    if (byNumber >= 0) {
      const sp = pair.ports[byNumber];
      if (svcPorts.includes(String(sp.port))) continue;
      return {
        fix: 'service',
        portIndex: byNumber,
        message: `Service "${svc}" targets port ${port}, opaque on ${pod}, through port ${sp.port}; add ${sp.port} to the Service's ${ANNOTATION}.`,
      };
    }
    const byName = servicePortNaming(pair, port);
    if (byName && !svcPorts.includes(String(byName.port.port))) {
      return {
        fix: 'service',
        portIndex: byName.index,
        message: `Service "${svc}" targets port ${byName.name} (${port}), opaque on ${pod}, through port ${byName.port.port}; add ${byName.port.port} to the Service's ${ANNOTATION}.`,
      };
    }
  }
  return undefined;
}

/**
 * For an opaque Service port: the first container port a Service port with that number targets.
 * Linkerd matches `containerPort == targetPort` or `name == targetPort name`, so with a numeric
 * targetPort an unnamed container port also matches (its name equals the empty target name).
 */
function podPortMissing(
  pair: OpaquePortsPair,
  podPorts: string[],
  port: number,
): OpaquePortsMismatch | undefined {
  for (const [index, sp] of pair.ports.entries()) {
    if (sp.port !== port) continue;
    for (const cp of pair.containerPorts) {
      if (
        cp.containerPort !== intTarget(sp) &&
        (cp.name ?? '') !== nameTarget(sp)
      ) {
        continue;
      }
      const expected = String(isNamed(sp) ? cp.containerPort : intTarget(sp));
      if (podPorts.includes(expected)) return undefined;
      return {
        fix: 'pod',
        portIndex: index,
        message: `Service "${pair.serviceName}" marks port ${port} opaque, so its target port ${expected} must be opaque too; add ${expected} to the ${ANNOTATION} of ${pair.podName}.`,
      };
    }
  }
  return undefined;
}

/** The first Service port naming a container port with this number, as Linkerd looks it up. */
function servicePortNaming(pair: OpaquePortsPair, port: number) {
  for (const [index, sp] of pair.ports.entries()) {
    if (!isNamed(sp)) continue;
    for (const cp of pair.containerPorts) {
      if (cp.containerPort === port && cp.name === sp.targetPort) {
        return { index, port: sp, name: cp.name };
      }
    }
  }
  return undefined;
}
