import type {
  Analyzer,
  KubeObject,
  PodTemplateRef,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplatesMatching,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { arr, inputs, LinkerdCode, POLICY_VERSION, specOf } from './common';

const CODE: LinkerdCode = {
  code: 'MS0322',
  name: 'ServerPortConflict',
  severity: 'warning',
  summary:
    'Two Linkerd Servers select the same port of the same pods; Linkerd applies only the older one (creation time, then name) to that port and ignores the other, with its authorizations and routes.',
  help: 'Select each pod port with one Server: narrow a `podSelector`, or merge the two Servers.',
};

/** The ports a Server's `port` selects on a pod template, as Linkerd resolves them (names through every container, init containers too). */
function selectedPorts(port: unknown, t: PodTemplateRef): number[] {
  if (typeof port === 'number')
    return Number.isInteger(port) && port > 0 && port < 65536 ? [port] : [];
  if (typeof port !== 'string' || port === '') return [];
  const spec = t.spec as Record<string, any>;
  return [...arr(spec.containers), ...arr(spec.initContainers)].flatMap(c =>
    arr(c?.ports)
      .filter(p => p?.name === port && typeof p.containerPort === 'number')
      .map(p => p.containerPort as number),
  );
}

/** Linkerd's precedence: older first (no timestamp, as in files, before any), then by name. */
function precedence(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  // Byte order, as Rust compares the names (not the locale's collation).
  if (a.metadata.name === b.metadata.name) return 0;
  return a.metadata.name < b.metadata.name ? -1 : 1;
}

/**
 * MS0322: pod ports two Servers select (by `podSelector`; external workloads are not in view). As
 * Linkerd's policy controller indexes a pod, Servers are taken in order of creation time, then
 * name, and a port already taken is skipped with the log line "Port already matched by another
 * server; skipping": reported on the Server skipped, naming the one applied.
 * @public
 */
export const serverConflictsAnalyzer: Analyzer = {
  id: 'linkerd.server-conflicts',
  description: CODE.summary,
  inputs: [inputs.server, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    const servers = [...snapshot.list(POLICY_VERSION, 'Server')]
      .filter(
        s => specOf(s).podSelector && typeof specOf(s).podSelector === 'object',
      )
      .sort(precedence);
    // Per pod template: which Server took each port.
    const taken = new Map<PodTemplateRef, Map<number, KubeObject>>();
    // Per skipped Server and winning Server: the ports and workloads concerned, in order.
    const conflicts = new Map<KubeObject, Map<KubeObject, Set<string>>>();
    for (const server of servers) {
      const spec = specOf(server);
      for (const t of podTemplatesMatching(
        snapshot,
        spec.podSelector,
        server.metadata.namespace,
      )) {
        const ports = taken.get(t) ?? new Map<number, KubeObject>();
        taken.set(t, ports);
        for (const port of selectedPorts(spec.port, t)) {
          const winner = ports.get(port);
          if (!winner) {
            ports.set(port, server);
            continue;
          }
          if (winner === server) continue;
          const byWinner = conflicts.get(server) ?? new Map();
          conflicts.set(server, byWinner);
          const list: Set<string> = byWinner.get(winner) ?? new Set();
          byWinner.set(winner, list);
          list.add(
            `port ${port} of ${t.owner.kind} "${t.owner.metadata.name}"`,
          );
        }
      }
    }
    return [...conflicts].flatMap(([server, byWinner]) =>
      [...byWinner].map(([winner, what]) =>
        findingFor(
          CODE,
          server,
          '/spec/port',
          `Server "${server.metadata.name}" and Server "${
            winner.metadata.name
          }" both select ${[...what].join(', ')}; Linkerd applies "${
            winner.metadata.name
          }" there and ignores "${server.metadata.name}".`,
        ),
      ),
    );
  },
};
