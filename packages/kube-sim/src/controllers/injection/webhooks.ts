import type { KubeObject } from '../../api/types';
import { CelEvalError, CelUnsupportedError, compileCel } from '../../cel/cel';
import {
  LabelSelectorSpec,
  matchesLabels,
  selectorFromSpec,
} from '../../selectors/label-selector';
import { isObject } from '../../util/objects';

/**
 * How the API server decides which admission webhooks a request goes to
 * (k8s.io/apiserver pkg/admission/plugin/webhook: rules, namespace and object
 * selectors, matchConditions), as pure functions over the registered
 * configuration and the request's attributes.
 */

export interface WebhookRule {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  /** `Cluster`, `Namespaced` or `*` (the default). */
  scope?: string;
}

export interface ServiceReference {
  namespace: string;
  name: string;
  path?: string;
  port?: number;
}

export interface MatchCondition {
  name: string;
  expression: string;
}

/** One entry of `webhooks` in a Mutating/ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1). */
export interface AdmissionWebhook {
  name: string;
  clientConfig?: {
    service?: ServiceReference;
    url?: string;
    caBundle?: string;
  };
  rules?: WebhookRule[];
  failurePolicy?: 'Fail' | 'Ignore';
  matchPolicy?: 'Exact' | 'Equivalent';
  namespaceSelector?: LabelSelectorSpec;
  objectSelector?: LabelSelectorSpec;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  reinvocationPolicy?: 'Never' | 'IfNeeded';
  matchConditions?: MatchCondition[];
}

/** What the API server knows about a request when it picks webhooks. */
export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. `pods`. */
  resource: string;
  /** `''` for the main resource, e.g. `status`. */
  subresource: string;
  namespaced: boolean;
  namespace?: string;
  name?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  /** Labels of the request's namespace (namespaced resources); undefined when it does not exist. */
  namespaceLabels?: Record<string, string>;
  dryRun?: boolean;
  userInfo?: { username: string; uid?: string; groups: string[] };
}

/** The identity kube-sim serves every authenticated request as. */
export const SIM_USER = {
  username: 'kube-sim-admin',
  uid: '',
  groups: ['system:masters', 'system:authenticated'],
};

const has = (list: string[] | undefined, v: string) =>
  (list ?? []).includes('*') || (list ?? []).includes(v);

/**
 * One rule against the request: operations, apiGroups, apiVersions, resources
 * (`*` for all resources, `*\/*` for all resources and subresources,
 * `pods/*` for all subresources of pods, `*\/status` for every status) and
 * scope (`Cluster`, `Namespaced`, `*`). The Namespace kind is cluster-scoped.
 */
export function ruleMatches(
  rule: WebhookRule,
  attrs: AdmissionAttributes,
): boolean {
  if (!has(rule.operations, attrs.operation)) return false;
  if (!has(rule.apiGroups, attrs.group)) return false;
  if (!has(rule.apiVersions, attrs.version)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && attrs.namespaced) return false;
  if (scope === 'Namespaced' && !attrs.namespaced) return false;
  const wanted = attrs.subresource
    ? `${attrs.resource}/${attrs.subresource}`
    : attrs.resource;
  return (rule.resources ?? []).some(r => {
    if (r === '*/*') return true;
    if (r === wanted) return true;
    const [res, sub] = r.split('/');
    if (sub === undefined) return res === '*' && !attrs.subresource;
    if (res === '*') return sub === attrs.subresource;
    return res === attrs.resource && sub === '*' && !!attrs.subresource;
  });
}

/**
 * A LabelSelector of a webhook: absent or empty matches everything (unlike a
 * workload selector); matchLabels and matchExpressions must all hold.
 */
export function webhookSelectorMatches(
  spec: LabelSelectorSpec | undefined | null,
  labels: Record<string, string> | undefined,
): boolean {
  if (!spec) return true;
  const sel = selectorFromSpec(spec);
  return !sel || matchesLabels(sel, labels ?? {});
}

/**
 * The namespaceSelector: cluster-scoped requests always match except for
 * Namespace objects, which are matched on their own labels (new, else old);
 * namespaced requests on the labels of their namespace.
 */
export function namespaceSelectorMatches(
  webhook: AdmissionWebhook,
  attrs: AdmissionAttributes,
): boolean {
  if (!webhook.namespaceSelector) return true;
  if (!attrs.namespaced) {
    if (attrs.group !== '' || attrs.resource !== 'namespaces') return true;
    const own = (attrs.object ?? attrs.oldObject)?.metadata?.labels;
    return webhookSelectorMatches(webhook.namespaceSelector, own);
  }
  return webhookSelectorMatches(
    webhook.namespaceSelector,
    attrs.namespaceLabels,
  );
}

/** The objectSelector, against the new or the old object's labels (either may match). */
export function objectSelectorMatches(
  webhook: AdmissionWebhook,
  attrs: AdmissionAttributes,
): boolean {
  if (!webhook.objectSelector) return true;
  return [attrs.object, attrs.oldObject].some(
    o =>
      !!o && webhookSelectorMatches(webhook.objectSelector, o.metadata?.labels),
  );
}

/** The `request` variable of matchConditions (an AdmissionRequest). */
export function admissionRequest(
  attrs: AdmissionAttributes,
): Record<string, unknown> {
  const resource = {
    group: attrs.group,
    version: attrs.version,
    resource: attrs.resource,
  };
  const kind = { group: attrs.group, version: attrs.version, kind: attrs.kind };
  return {
    uid: '',
    kind,
    resource,
    subResource: attrs.subresource,
    requestKind: kind,
    requestResource: resource,
    requestSubResource: attrs.subresource,
    name: attrs.name ?? '',
    namespace: attrs.namespace ?? '',
    operation: attrs.operation,
    userInfo: attrs.userInfo ?? SIM_USER,
    dryRun: !!attrs.dryRun,
    options: {},
  };
}

export type ConditionOutcome =
  | { match: true }
  | { match: false; condition: string }
  | { error: string };

/**
 * matchConditions as the API server evaluates them: any condition that is
 * false skips the webhook (even when others fail to evaluate); otherwise any
 * evaluation error is an error (the caller applies failurePolicy: Fail
 * rejects the request, Ignore skips the webhook); all true calls it.
 *
 * Variables: `object`, `oldObject` (null when absent) and `request`. An
 * expression this simulator's CEL subset cannot evaluate (e.g. one using
 * `authorizer`) counts as an evaluation error, so it follows failurePolicy as
 * a real evaluation error would.
 */
export function evaluateMatchConditions(
  conditions: MatchCondition[] | undefined,
  attrs: AdmissionAttributes,
): ConditionOutcome {
  const errors: string[] = [];
  const vars = {
    object: attrs.object ?? null,
    oldObject: attrs.oldObject ?? null,
    request: admissionRequest(attrs),
  };
  for (const c of conditions ?? []) {
    try {
      const v = compileCel(c.expression).evaluate(vars);
      if (v === false) return { match: false, condition: c.name };
      if (v !== true)
        errors.push(
          `expression '${
            c.name
          }' resulted in error: expected a bool, got ${typeof v}`,
        );
    } catch (e) {
      if (e instanceof CelEvalError || e instanceof CelUnsupportedError)
        errors.push(`expression '${c.name}' resulted in error: ${e.message}`);
      else throw e;
    }
  }
  if (errors.length) return { error: errors.join(', ') };
  return { match: true };
}

export type WebhookDecision =
  | { call: true }
  | { call: false; reason: string }
  | { error: string };

/**
 * Whether a webhook is called for a request, in the API server's order:
 * rules, namespaceSelector, objectSelector, then matchConditions (whose
 * errors become `{ error }` under failurePolicy Fail, a skip under Ignore).
 */
export function decideWebhook(
  webhook: AdmissionWebhook,
  attrs: AdmissionAttributes,
): WebhookDecision {
  if (!(webhook.rules ?? []).some(r => ruleMatches(r, attrs)))
    return { call: false, reason: 'rules' };
  if (!namespaceSelectorMatches(webhook, attrs))
    return { call: false, reason: 'namespaceSelector' };
  if (!objectSelectorMatches(webhook, attrs))
    return { call: false, reason: 'objectSelector' };
  const cond = evaluateMatchConditions(webhook.matchConditions, attrs);
  if ('error' in cond) {
    if ((webhook.failurePolicy ?? 'Fail') === 'Ignore')
      return { call: false, reason: `matchConditions: ${cond.error}` };
    return {
      error: `failed calling webhook "${webhook.name}": failed evaluating match conditions, failing closed: ${cond.error}`,
    };
  }
  if (!cond.match)
    return { call: false, reason: `matchConditions: ${cond.condition}` };
  return { call: true };
}

/** The webhooks of a configuration object (typed loosely: stored objects are JSON). */
export function webhooksOf(config: KubeObject): AdmissionWebhook[] {
  const list = config.webhooks;
  return Array.isArray(list)
    ? (list.filter(isObject) as unknown as AdmissionWebhook[])
    : [];
}
