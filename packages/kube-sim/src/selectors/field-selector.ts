import { ApiError } from '../server/status';
import { getPath } from '../util/objects';

/** One `field=value` or `field!=value` term of a field selector. */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Splits on unescaped commas; `\,` and `\=` escape the separators as in fields.ParseSelector. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && i + 1 < input.length) {
      cur += c + input[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  terms.push(cur);
  return terms;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Parses `a=b,c!=d,e==f`. Throws 400 on malformed terms. */
export function parseFieldSelector(input: string | undefined): FieldSelector {
  if (!input || !input.trim()) return [];
  const out: FieldSelector = [];
  for (const term of splitTerms(input)) {
    if (!term) continue;
    const m = /^((?:[^\\=!]|\\.)*)(!=|==|=)(.*)$/.exec(term);
    if (!m) {
      throw new ApiError(
        400,
        'BadRequest',
        `invalid selector: '${input}'; can't understand '${term}'`,
      );
    }
    out.push({
      field: m[1].trim(),
      op: m[2] === '!=' ? '!=' : '=',
      value: unescape(m[3]),
    });
  }
  return out;
}

/** Field label paths each resource supports beyond metadata.name / metadata.namespace. */
const EXTRA_FIELDS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
  namespaces: ['status.phase'],
  nodes: ['spec.unschedulable'],
  replicasets: ['status.replicas'],
  jobs: ['status.successful'],
  replicationcontrollers: ['status.replicas'],
};

/** Extracts the value a field label has on an object, as the API server's field set. */
function fieldValue(obj: Record<string, unknown>, field: string): string {
  if (field === 'source')
    return String(getPath(obj, ['source', 'component']) ?? '');
  if (field === 'status.successful')
    return String(getPath(obj, ['status', 'succeeded']) ?? '0');
  const v = getPath(obj, field.split('.'));
  if (v === undefined || v === null) {
    if (field === 'spec.hostNetwork' || field === 'spec.unschedulable')
      return 'false';
    if (field === 'status.replicas') return '0';
    return '';
  }
  return String(v);
}

/**
 * Validates that every field in the selector is supported for the resource,
 * answering 400 like the API server (`field label not supported: foo`).
 */
export function checkFieldSelector(
  selector: FieldSelector,
  resource: string,
  extra: string[] = [],
): void {
  const allowed = new Set([
    'metadata.name',
    'metadata.namespace',
    ...(EXTRA_FIELDS[resource] ?? []),
    ...extra,
  ]);
  for (const r of selector) {
    if (!allowed.has(r.field)) {
      throw new ApiError(
        400,
        'BadRequest',
        `field label not supported: ${r.field}`,
      );
    }
  }
}

export function matchesFields(
  selector: FieldSelector,
  obj: Record<string, unknown>,
): boolean {
  for (const r of selector) {
    const v = fieldValue(obj, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
