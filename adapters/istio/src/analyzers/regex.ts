import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0210',
  name: 'InvalidRegexp',
  severity: 'error',
  summary:
    'A VirtualService match or CORS origin uses a regex that is invalid or uses features RE2 (Envoy) does not support.',
  help: 'Fix the expression; Envoy uses RE2, which has no lookahead/lookbehind and no backreferences.',
};

/** Why a regex is not acceptable to Envoy's RE2, or `undefined` when it is. */
export function regexProblem(source: string): string | undefined {
  try {
    // eslint-disable-next-line no-new
    new RegExp(source);
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, '');
  }
  if (/\(\?<?[=!]/.test(source))
    return 'lookahead/lookbehind is not supported by RE2';
  if (/\\[1-9]/.test(source)) return 'backreferences are not supported by RE2';
  return undefined;
}

const MATCH_FIELDS = ['uri', 'scheme', 'method', 'authority'];

/** MS0210: invalid regexes in VirtualService matches and CORS policies. @public */
export const regexAnalyzer: Analyzer = {
  id: 'istio.regex',
  description: CODE.summary,
  inputs: [inputs.virtualService],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list(NETWORKING, 'VirtualService').flatMap(vs => {
      const found: Array<{ path: string; regex: string }> = [];
      arr(specOf(vs).http).forEach((rule: any, i: number) => {
        arr(rule?.match).forEach((m: any, j: number) => {
          const base = `/spec/http/${i}/match/${j}`;
          for (const f of MATCH_FIELDS) {
            if (typeof m?.[f]?.regex === 'string')
              found.push({ path: `${base}/${f}/regex`, regex: m[f].regex });
          }
          for (const f of ['headers', 'queryParams', 'withoutHeaders']) {
            for (const [k, v] of Object.entries(
              (m?.[f] ?? {}) as Record<string, any>,
            )) {
              if (typeof v?.regex === 'string') {
                found.push({
                  path: `${base}/${f}/${k
                    .replace(/~/g, '~0')
                    .replace(/\//g, '~1')}/regex`,
                  regex: v.regex,
                });
              }
            }
          }
        });
        arr(rule?.corsPolicy?.allowOrigins).forEach((o: any, k: number) => {
          if (typeof o?.regex === 'string')
            found.push({
              path: `/spec/http/${i}/corsPolicy/allowOrigins/${k}/regex`,
              regex: o.regex,
            });
        });
      });
      return found.flatMap(f => {
        const problem = regexProblem(f.regex);
        return problem
          ? [
              findingFor(
                CODE,
                vs,
                f.path,
                `Field "${f.path}" regular expression invalid: "${f.regex}" (${problem}).`,
              ),
            ]
          : [];
      });
    });
  },
};
