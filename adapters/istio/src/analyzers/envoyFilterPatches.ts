import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, specOf } from './common';

const RELATIVE: IstioCode = {
  code: 'MS0238',
  name: 'EnvoyFilterUsesRelativeOperation',
  severity: 'warning',
  summary:
    'An EnvoyFilter without a priority uses a relative patch operation (INSERT_BEFORE, INSERT_AFTER, REPLACE, REMOVE), so it may not be applied if what it is relative to is not there yet.',
  help: 'Set `priority`, or use INSERT_FIRST or ADD where the order does not matter.',
  istioCode: 'IST0151',
};
const REPLACE: IstioCode = {
  code: 'MS0239',
  name: 'EnvoyFilterUsesReplaceOperationIncorrectly',
  severity: 'error',
  summary:
    'An EnvoyFilter patch uses REPLACE where it is not supported: only for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST.',
  help: 'Use MERGE, or REMOVE and ADD, for other `applyTo` kinds.',
  istioCode: 'IST0152',
};
const ADD: IstioCode = {
  code: 'MS0240',
  name: 'EnvoyFilterUsesAddOperationIncorrectly',
  severity: 'error',
  summary:
    'An EnvoyFilter patch uses ADD on ROUTE_CONFIGURATION or HTTP_ROUTE, where it is ignored.',
  help: 'Use MERGE to change a route configuration; add routes to a VIRTUAL_HOST.',
  istioCode: 'IST0153',
};
const REMOVE: IstioCode = {
  code: 'MS0241',
  name: 'EnvoyFilterUsesRemoveOperationIncorrectly',
  severity: 'error',
  summary:
    'An EnvoyFilter patch uses REMOVE on ROUTE_CONFIGURATION or HTTP_ROUTE, where it is ignored.',
  help: 'Remove the route through its VIRTUAL_HOST, or change it with MERGE.',
  istioCode: 'IST0154',
};
const RELATIVE_WITH_VERSION: IstioCode = {
  code: 'MS0242',
  name: 'EnvoyFilterUsesRelativeOperationWithProxyVersion',
  severity: 'warning',
  summary:
    'An EnvoyFilter without a priority uses a relative patch operation on a filter that an earlier patch with a `proxyVersion` match adds, so it may not be applied during an upgrade.',
  help: 'Set `priority`, or use INSERT_FIRST or ADD.',
  istioCode: 'IST0155',
};

/** applyTo kinds where ADD and REMOVE are ignored. */
const ROUTES = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
/** applyTo kinds REPLACE supports. */
const REPLACEABLE = new Set(['NETWORK_FILTER', 'HTTP_FILTER', 'VIRTUAL_HOST']);

const MESSAGES = new Map<IstioCode, string>([
  [
    RELATIVE,
    'a relative operation in an EnvoyFilter without a priority, which may not be applied. Use INSERT_FIRST or ADD, or set a priority.',
  ],
  [
    REPLACE,
    'REPLACE is only valid for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST.',
  ],
  [ADD, 'ADD is ignored when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.'],
  [
    REMOVE,
    'REMOVE is ignored when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.',
  ],
  [
    RELATIVE_WITH_VERSION,
    'a relative operation, without a priority, on a filter a patch with a proxyVersion match adds: it may not be applied during an upgrade.',
  ],
]);

/**
 * The name istioctl keys a patch by: the patch value's `name` (as a value), else the filter name
 * its listener match names. The two kinds never equal each other, as in istioctl.
 */
function instanceName(patch: any): string {
  const value = patch?.patch?.value;
  if (!value || typeof value !== 'object') return '';
  if ('name' in value) return `value:${JSON.stringify(value.name)}`;
  const filter = patch?.match?.listener?.filterChain?.filter?.name;
  return typeof filter === 'string' && filter ? `filter:${filter}` : '';
}

/**
 * MS0238-MS0242 (IST0151-IST0155): EnvoyFilter patch operations as istioctl checks them. ADD and
 * REMOVE on ROUTE_CONFIGURATION or HTTP_ROUTE are ignored by Istio; REPLACE only works on
 * HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST; without a `priority`, INSERT_BEFORE,
 * INSERT_AFTER and (where valid) REPLACE and REMOVE are relative operations, reported as
 * IST0155 instead of IST0151 when an earlier patch (of this or an earlier EnvoyFilter, in input
 * order) with a `proxyVersion` match has the same name. A patch without `patch` ends the
 * EnvoyFilter's checks, as in istioctl. One finding per EnvoyFilter and code, at its first patch,
 * naming every patch concerned.
 * @public
 */
export const envoyFilterPatchesAnalyzer: Analyzer = {
  id: 'istio.envoyfilter-patches',
  description: RELATIVE.summary,
  inputs: [inputs.envoyFilter],
  codes: [RELATIVE, REPLACE, ADD, REMOVE, RELATIVE_WITH_VERSION],
  analyze(snapshot) {
    const out: Finding[] = [];
    const versioned = new Set<string>();
    for (const ef of snapshot.list(
      'networking.istio.io/v1alpha3',
      'EnvoyFilter',
    )) {
      const spec = specOf(ef);
      const priority = Number(spec.priority) || 0;
      // code -> the patches it concerns: one finding per EnvoyFilter and code, as istioctl reports
      // one message per resource and kind of problem.
      const found = new Map<
        IstioCode,
        Array<{ i: number; op: string; applyTo: string }>
      >();
      const patches = arr(spec.configPatches);
      for (let i = 0; i < patches.length; i++) {
        const patch = patches[i];
        if (!patch?.patch || typeof patch.patch !== 'object') break;
        const name = instanceName(patch);
        const op = String(patch.patch.operation ?? '');
        const applyTo = String(patch.applyTo ?? '');
        const report = (code: IstioCode) =>
          found.set(code, [...(found.get(code) ?? []), { i, op, applyTo }]);
        const relative = () => {
          if (priority === 0)
            report(versioned.has(name) ? RELATIVE_WITH_VERSION : RELATIVE);
        };
        if (op === 'ADD') {
          if (ROUTES.has(applyTo)) report(ADD);
        } else if (op === 'REMOVE') {
          if (ROUTES.has(applyTo)) report(REMOVE);
          else relative();
        } else if (op === 'REPLACE') {
          if (!REPLACEABLE.has(applyTo)) report(REPLACE);
          else relative();
        } else if (op === 'INSERT_BEFORE' || op === 'INSERT_AFTER') {
          relative();
        }
        const versions = patch.match?.proxy?.proxyVersion;
        if (typeof versions === 'string' && versions) versioned.add(name);
      }
      for (const [code, list] of found) {
        const which = list
          .map(p => `${p.i} (${p.op} on ${p.applyTo || 'no applyTo'})`)
          .join(', ');
        out.push(
          findingFor(
            code,
            ef,
            `/spec/configPatches/${list[0].i}/patch/operation`,
            `EnvoyFilter patch${
              list.length > 1 ? 'es' : ''
            } ${which}: ${MESSAGES.get(code)}`,
          ),
        );
      }
    }
    return out;
  },
};
