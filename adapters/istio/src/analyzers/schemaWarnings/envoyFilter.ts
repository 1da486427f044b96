import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import { DEPRECATED_FILTER_NAMES } from './envoyFilterNames';
import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';
import {
  NO_LABELS,
  selectorRejected,
  workloadSelector,
} from './workloadSelector';

const ENVOY_FILTER_WARNING =
  'EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.';
const MAX_PROXY_VERSION_LEN = 1024;
const HCM = [
  'envoy.filters.network.http_connection_manager',
  'envoy.http_connection_manager',
];
const LISTENER_CLASS = [
  'LISTENER',
  'FILTER_CHAIN',
  'NETWORK_FILTER',
  'HTTP_FILTER',
];
const APPLY_TO = [
  'INVALID',
  'LISTENER',
  'FILTER_CHAIN',
  'NETWORK_FILTER',
  'HTTP_FILTER',
  'ROUTE_CONFIGURATION',
  'VIRTUAL_HOST',
  'HTTP_ROUTE',
  'CLUSTER',
  'EXTENSION_CONFIG',
  'BOOTSTRAP',
  'LISTENER_FILTER',
];
const OPERATIONS = [
  'INVALID',
  'MERGE',
  'ADD',
  'REMOVE',
  'INSERT_BEFORE',
  'INSERT_AFTER',
  'INSERT_FIRST',
  'REPLACE',
];
const enumName = (names: string[], v: unknown) =>
  typeof v === 'number' ? names[v] ?? String(v) : String(v ?? names[0]);

function compiles(pattern: string): boolean {
  try {
    RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** A deprecated filter name in a match, at `path`. */
function deprecatedName(name: unknown, path: string): SchemaWarning[] {
  const newName = DEPRECATED_FILTER_NAMES[String(name ?? '')];
  return newName
    ? [
        {
          path,
          text: `using deprecated filter name ${JSON.stringify(
            String(name),
          )}; use ${JSON.stringify(newName)} instead`,
        },
      ]
    : [];
}

/**
 * One config patch's warnings: a proxyVersion match too long to compile, a filter match under
 * LISTENER or FILTER_CHAIN, deprecated filter names. None past a check Istio stops the patch at.
 */
function patchWarnings(value: unknown, path: string): SchemaWarning[] {
  if (absent(value)) return [];
  const cp = obj(value);
  const match = obj(cp.match);
  if (match.context === 'WAYPOINT' || match.context === 4) return [];
  const applyTo = enumName(APPLY_TO, cp.applyTo);
  if (applyTo === 'INVALID' || absent(cp.patch)) return [];
  const operation = enumName(OPERATIONS, obj(cp.patch).operation);
  if (operation === 'INVALID') return [];
  if (operation !== 'REMOVE' && absent(obj(cp.patch).value)) return [];
  const out: SchemaWarning[] = [];
  const proxyVersion = String(obj(match.proxy).proxyVersion ?? '');
  if (proxyVersion.length > MAX_PROXY_VERSION_LEN)
    out.push({
      path: `${path}/match/proxy/proxyVersion`,
      text: `Envoy filter: proxyVersion match exceeds ${MAX_PROXY_VERSION_LEN} characters and will be ignored`,
    });
  else if (proxyVersion !== '' && !compiles(proxyVersion)) return out;
  const objectTypes = ['listener', 'routeConfiguration', 'cluster'].some(
    k => !absent(match[k]),
  );
  if (!LISTENER_CLASS.includes(applyTo) || !objectTypes) return out;
  if (absent(match.listener)) return out;
  const filterChain = obj(match.listener).filterChain;
  const filter = obj(obj(filterChain).filter);
  if (absent(filterChain) || absent(obj(filterChain).filter)) return out;
  const filterPath = `${path}/match/listener/filterChain/filter`;
  if (applyTo === 'LISTENER' || applyTo === 'FILTER_CHAIN')
    out.push({
      path: filterPath,
      text: `Envoy filter: filter match has no effect when used with ${applyTo}`,
    });
  if ((filter.name ?? '') === '') return out;
  if (!absent(filter.subFilter)) {
    if (applyTo !== 'HTTP_FILTER' || !HCM.includes(filter.name)) return out;
    if ((obj(filter.subFilter).name ?? '') === '') return out;
  }
  return [
    ...out,
    ...deprecatedName(filter.name, `${filterPath}/name`),
    ...deprecatedName(
      obj(filter.subFilter).name,
      `${filterPath}/subFilter/name`,
    ),
  ];
}

/**
 * An EnvoyFilter's warnings: every one has one, a selector without labels another, then each
 * config patch's. Istio's warnings on the patch values themselves (unknown fields, deprecated
 * type URLs, filters by name without typed_config) need Envoy's API schemas and are not given.
 */
export function envoyFilterWarnings(filter: KubeObject): SchemaWarning[] {
  const selector = workloadSelector(filter);
  if (selector && selectorRejected(selector.labels)) return [];
  const out = [{ path: '/spec', text: ENVOY_FILTER_WARNING }];
  if (selector && Object.keys(selector.labels).length === 0)
    out.push({
      path: '/spec/workloadSelector',
      text: `Envoy filter: ${NO_LABELS}`,
    });
  arr(specOf(filter).configPatches).forEach((cp, i) =>
    out.push(...patchWarnings(cp, `/spec/configPatches/${i}`)),
  );
  return out;
}
