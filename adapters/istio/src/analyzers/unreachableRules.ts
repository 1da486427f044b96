import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';
import { jsonName } from './protoShape';
import { overlappingPrefixMatches, prefixMatch } from './prefixOverlap';
import type { PrefixMatch } from './prefixOverlap';

const UNREACHABLE: IstioCode = {
  code: 'MS0237',
  name: 'VirtualServiceUnreachableRule',
  severity: 'warning',
  summary:
    'A VirtualService route can never be used: a route without matches comes before it, or every one of its matches repeats an earlier route’s.',
  help: 'Put the route without matches last, and remove or change matches that repeat earlier ones.',
  istioCode: 'IST0130',
};
const INEFFECTIVE: IstioCode = {
  code: 'MS0211',
  name: 'VirtualServiceIneffectiveMatch',
  severity: 'warning',
  summary:
    'A VirtualService match is never used: an earlier match is the same, or (HTTP) covers its URI prefix and every other condition.',
  help: 'Move the more specific match before the one covering it, or remove the duplicate.',
  istioCode: 'IST0131',
};

/** Map-valued fields of match requests: empty ones are absent, as Istio serializes them. */
const MAP_FIELDS = new Set([
  'headers',
  'queryParams',
  'withoutHeaders',
  'sourceLabels',
]);

/**
 * A match's identity as Istio compares matches: its fields (either spelling), unset and default
 * values dropped, keys sorted, HTTP matches without their `name`.
 */
function identity(value: unknown, top = true): string {
  if (Array.isArray(value))
    return `[${value.map(v => identity(v, false)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [jsonName(k), v] as const)
      .filter(
        ([k, v]) =>
          !(top && k === 'name') &&
          v !== null &&
          v !== undefined &&
          v !== '' &&
          v !== 0 &&
          v !== false &&
          !(Array.isArray(v) && v.length === 0) &&
          !(
            MAP_FIELDS.has(k) &&
            typeof v === 'object' &&
            Object.keys(v as object).length === 0
          ),
      )
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${identity(v, false)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

type Section = 'http' | 'tcp' | 'tls';

/** How istioctl names a rule (`"name"` for named HTTP routes, else `#n`) and a match. */
const ruleName = (rule: any, i: number, section: Section) =>
  section === 'http' && typeof rule?.name === 'string' && rule.name
    ? JSON.stringify(rule.name)
    : `#${i}`;
const matchName = (match: any, j: number, section: Section) =>
  section === 'http' && typeof match?.name === 'string' && match.name
    ? JSON.stringify(match.name)
    : `#${j}`;

/** The findings of one route list (`spec.http`, `spec.tcp` or `spec.tls`) of a VirtualService. */
function analyzeSection(vs: KubeObject, section: Section): Finding[] {
  const out: Finding[] = [];
  const where = `VirtualService ${vs.metadata.namespace ?? 'default'}/${
    vs.metadata.name
  }`;
  const unreachable = (i: number, name: string, reason: string) =>
    out.push(
      findingFor(
        UNREACHABLE,
        vs,
        `/spec/${section}/${i}`,
        `${where}: ${section.toUpperCase()} rule ${name} is not used (${reason}).`,
      ),
    );
  const ineffective = (
    i: number,
    j: number,
    rule: string,
    match: string,
    by: string,
  ) =>
    out.push(
      findingFor(
        INEFFECTIVE,
        vs,
        `/spec/${section}/${i}/match/${j}`,
        `${where}: ${section.toUpperCase()} rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${by}).`,
      ),
    );
  const rules = arr(specOf(vs)[section]);
  const seen = new Map<string, number>();
  const prefixes: PrefixMatch[] = [];
  let noMatches = -1;
  rules.forEach((rule: any, i) => {
    if (!rule || typeof rule !== 'object') return;
    const name = ruleName(rule, i, section);
    const matches = arr(rule.match);
    if (matches.length === 0) {
      if (noMatches >= 0)
        unreachable(i, name, 'only the last rule can have no matches');
      noMatches = i;
      return;
    }
    if (noMatches >= 0) {
      unreachable(i, name, 'route without matches defined before');
      return;
    }
    let repeated = 0;
    matches.forEach((match: any, j) => {
      const key = identity(match);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        ineffective(
          i,
          j,
          name,
          matchName(match, j, section),
          ruleName(rules[earlier], earlier, section),
        );
        repeated++;
        return;
      }
      seen.set(key, i);
      const prefix =
        section === 'http' &&
        prefixMatch(match, {
          rule: i,
          match: j,
          name,
          matchName: matchName(match, j, section),
        });
      if (prefix) prefixes.push(prefix);
    });
    if (repeated === matches.length)
      unreachable(i, name, 'all matches used by prior rules');
  });
  for (const { covered, by } of overlappingPrefixMatches(prefixes)) {
    ineffective(
      covered.rule,
      covered.match,
      covered.name,
      `${covered.matchName} of prefix ${covered.prefix}`,
      `${by.matchName} of prefix ${by.prefix} on ${by.name}`,
    );
  }
  return out;
}

/**
 * MS0237 (IST0130) and MS0211 (IST0131): VirtualService rules and matches that can never be used,
 * as istioctl's VirtualService validation finds them: in `http`, `tcp` and `tls`, a rule after a
 * rule without matches, a rule all of whose matches repeat earlier ones, a match identical to an
 * earlier one (HTTP: ignoring its `name`), and (HTTP) a URI-prefix match covered by an earlier
 * prefix match with the same port, method, authority, headers, query parameters and
 * withoutHeaders (an earlier value may be a prefix of the later one).
 * @public
 */
export const unreachableRulesAnalyzer: Analyzer = {
  id: 'istio.virtualservice-unreachable-rules',
  description: INEFFECTIVE.summary,
  inputs: [inputs.virtualService],
  codes: [UNREACHABLE, INEFFECTIVE],
  analyze(snapshot) {
    return snapshot
      .list(NETWORKING, 'VirtualService')
      .flatMap(vs =>
        (['http', 'tcp', 'tls'] as const).flatMap(s => analyzeSection(vs, s)),
      );
  },
};
