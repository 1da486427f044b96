import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0249',
  name: 'ConflictingServiceEntryProtocol',
  severity: 'warning',
  summary:
    'Several ServiceEntries visible in the same namespace define the same host and port with different protocols.',
  help: 'Give the host and port one protocol in every ServiceEntry, or export them to different namespaces.',
  istioCode: 'IST0177',
};

/** The namespaces a ServiceEntry is visible in, as istioctl scopes them (`*` for everywhere). */
function scopes(se: KubeObject): string[] {
  const exportTo = arr<string>(specOf(se).exportTo);
  if (exportTo.length === 0 || exportTo.includes('*')) return ['*'];
  const ns = se.metadata.namespace ?? 'default';
  return [...new Set(exportTo.map(e => (e === '.' ? ns : e)))];
}

const id = (se: KubeObject) =>
  `${se.metadata.namespace ?? 'default'}/${se.metadata.name}`;

/**
 * MS0249 (IST0177): a host and port defined with different protocols (case-insensitive) by
 * ServiceEntries sharing a visibility scope (an exportTo namespace, or `*`, which every scope
 * sees). Each ServiceEntry is reported once, for the first conflict it is part of.
 * @public
 */
export const conflictingServiceEntryProtocolsAnalyzer: Analyzer = {
  id: 'istio.conflicting-serviceentry-protocols',
  description: CODE.summary,
  inputs: [inputs.serviceEntry],
  codes: [CODE],
  analyze(snapshot) {
    // scope~host~port -> the ServiceEntries' protocols for it
    const index = new Map<
      string,
      {
        scope: string;
        host: string;
        port: number;
        entries: Array<{ protocol: string; se: KubeObject }>;
      }
    >();
    for (const se of snapshot.list(NETWORKING, 'ServiceEntry')) {
      const spec = specOf(se);
      for (const scope of scopes(se))
        for (const host of arr<string>(spec.hosts))
          for (const p of arr(spec.ports)) {
            const port = Number(p?.number) || 0;
            const key = `${scope}~${host}~${port}`;
            const slot = index.get(key) ?? { scope, host, port, entries: [] };
            slot.entries.push({ protocol: String(p?.protocol ?? ''), se });
            index.set(key, slot);
          }
    }
    const reported = new Set<string>();
    const out = [];
    for (const slot of index.values()) {
      const entries =
        slot.scope === '*'
          ? slot.entries
          : [
              ...slot.entries,
              ...(index.get(`*~${slot.host}~${slot.port}`)?.entries ?? []),
            ];
      const protocols = [
        ...new Set(entries.map(e => e.protocol.toUpperCase())),
      ].sort();
      if (protocols.length < 2) continue;
      const names = [...new Set(entries.map(e => id(e.se)))].sort();
      for (const { se } of entries) {
        if (reported.has(id(se))) continue;
        reported.add(id(se));
        out.push(
          findingFor(
            CODE,
            se,
            '/metadata/name',
            `ServiceEntries ${names.join(', ')} define host "${
              slot.host
            }" port ${slot.port} with conflicting protocols (${protocols
              .map(p => p || '(none)')
              .join(', ')}).`,
          ),
        );
      }
    }
    return out;
  },
};
