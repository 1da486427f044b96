import type {
  Analyzer,
  KubeObject,
  PodTemplateRef,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplatesMatching,
  pointerSegment,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { arr, inputs, LinkerdCode } from './common';

const CODE: LinkerdCode = {
  code: 'MS0306',
  name: 'OpaquePortsInconsistent',
  severity: 'warning',
  summary:
    'A port is marked opaque (`config.linkerd.io/opaque-ports`) on a Service but not on the workloads it selects, or the other way round.',
  help: 'Mark the port opaque on both the Service and the pod template (or the namespace), or on neither.',
};

export const OPAQUE_ANNOTATION = 'config.linkerd.io/opaque-ports';
/** Linkerd's default opaque ports, which apply when nothing is annotated. */
const DEFAULT_OPAQUE = '25,587,3306,4444,5432,6379,9300,11211';

/** Parses `25,587,4000-4010` into a membership test. */
export function parsePorts(value: string): (port: number) => boolean {
  const ranges = value
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)
    .map(p => {
      const [a, b] = p.split('-').map(Number);
      return [a, Number.isFinite(b) ? b : a] as const;
    });
  return port => ranges.some(([a, b]) => port >= a && port <= b);
}

function containerPort(t: PodTemplateRef, target: unknown): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  for (const c of t.spec.containers ?? []) {
    for (const p of arr((c as any).ports))
      if (p?.name === target) return p.containerPort;
  }
  return undefined;
}

/** MS0306: opaque-ports that disagree between a Service and its workloads. @public */
export const opaquePortsAnalyzer: Analyzer = {
  id: 'linkerd.opaque-ports',
  description: CODE.summary,
  inputs: [inputs.service, inputs.namespace, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list('v1', 'Service').flatMap(svc => {
      const ns = svc.metadata.namespace;
      const nsObj: KubeObject | undefined = snapshot.get(
        'v1',
        'Namespace',
        undefined,
        ns ?? 'default',
      );
      const nsValue = nsObj?.metadata.annotations?.[OPAQUE_ANNOTATION];
      const selector = (svc.spec as any)?.selector as
        | Record<string, string>
        | undefined;
      if (!selector || Object.keys(selector).length === 0) return [];
      const svcValue =
        svc.metadata.annotations?.[OPAQUE_ANNOTATION] ??
        nsValue ??
        DEFAULT_OPAQUE;
      const svcOpaque = parsePorts(svcValue);
      const workloads = podTemplatesMatching(
        snapshot,
        { matchLabels: selector },
        ns,
      );
      return arr((svc.spec as any)?.ports).flatMap((port: any, i: number) => {
        if (typeof port?.port !== 'number') return [];
        return workloads.flatMap(t => {
          const target = containerPort(t, port.targetPort ?? port.port);
          if (target === undefined) return [];
          const wValue =
            t.annotations[OPAQUE_ANNOTATION] ?? nsValue ?? DEFAULT_OPAQUE;
          const onSvc = svcOpaque(port.port);
          const onWorkload = parsePorts(wValue)(target);
          if (onSvc === onWorkload) return [];
          const path = svc.metadata.annotations?.[OPAQUE_ANNOTATION]
            ? `/metadata/annotations/${pointerSegment(OPAQUE_ANNOTATION)}`
            : `/spec/ports/${i}`;
          return [
            findingFor(
              CODE,
              svc,
              path,
              `Port ${port.port} is ${onSvc ? '' : 'not '}opaque on Service "${
                svc.metadata.name
              }" but ${onWorkload ? '' : 'not '}opaque (as ${target}) on ${
                t.owner.kind
              } "${t.owner.metadata.name}".`,
            ),
          ];
        });
      });
    });
  },
};
