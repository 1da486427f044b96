import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0211',
  name: 'VirtualServiceIneffectiveMatch',
  severity: 'warning',
  summary:
    'A VirtualService HTTP route can never match: an earlier route matches everything it would, or the same condition.',
  help: 'Move the more specific route before the catch-all one, or remove the duplicate.',
  istioCode: 'IST0131',
};

/** Whether a match (or an absent match list) matches every request. */
function isCatchAll(match: any): boolean {
  if (!match || typeof match !== 'object') return true;
  const keys = Object.keys(match).filter(k => k !== 'name');
  if (keys.length === 0) return true;
  if (keys.length === 1 && keys[0] === 'uri') {
    const uri = match.uri ?? {};
    return uri.prefix === '/' || uri.regex === '.*';
  }
  return false;
}

/** A key-order-independent rendering of a value, so `{a, b}` and `{b, a}` compare equal. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${stable(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function canonical(match: any): string {
  const { name: _name, ...rest } = match ?? {};
  return stable(rest);
}

/** MS0211 (IST0131): HTTP routes shadowed by earlier ones. @public */
export const ineffectiveMatchAnalyzer: Analyzer = {
  id: 'istio.ineffective-match',
  description: CODE.summary,
  inputs: [inputs.virtualService],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list(NETWORKING, 'VirtualService').flatMap(vs => {
      const findings = [];
      const seen = new Map<string, number>();
      let catchAll: number | undefined;
      const rules = arr(specOf(vs).http);
      for (let i = 0; i < rules.length; i++) {
        const matches = arr(rules[i]?.match);
        if (catchAll !== undefined) {
          findings.push(
            findingFor(
              CODE,
              vs,
              matches.length ? `/spec/http/${i}/match` : `/spec/http/${i}`,
              `HTTP route ${i} of VirtualService "${vs.metadata.name}" is never used: route ${catchAll} before it matches every request.`,
            ),
          );
          continue;
        }
        matches.forEach((m: any, j: number) => {
          const key = canonical(m);
          const earlier = seen.get(key);
          if (earlier !== undefined && earlier !== i) {
            findings.push(
              findingFor(
                CODE,
                vs,
                `/spec/http/${i}/match/${j}`,
                `Match ${j} of HTTP route ${i} of VirtualService "${vs.metadata.name}" is never used: route ${earlier} has the same match.`,
              ),
            );
          } else if (earlier === undefined) {
            seen.set(key, i);
          }
        });
        if (matches.length === 0 || matches.some(isCatchAll)) catchAll = i;
      }
      return findings;
    });
  },
};
