import type { KubeObject } from '../../api/types';
import { CelUnsupportedError, compileCel } from '../../cel/cel';
import { FieldError, fieldError } from '../../validation/field-errors';
import {
  dns1123Subdomain,
  labelValue,
  qualifiedName,
} from '../../validation/names';
import { isObject, JsonObject } from '../../util/objects';

/**
 * Defaults and validation of Mutating/ValidatingWebhookConfigurations
 * (admissionregistration.k8s.io/v1), after k8s.io/kubernetes
 * pkg/apis/admissionregistration (v1 defaults, validation.go).
 */

const OPERATIONS = new Set(['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT']);
const SIDE_EFFECTS = new Set(['None', 'NoneOnDryRun']);
const REVIEW_VERSIONS = new Set(['v1', 'v1beta1']);

function defaultWebhook(w: JsonObject, mutating: boolean): void {
  w.failurePolicy ??= 'Fail';
  w.matchPolicy ??= 'Equivalent';
  if (!isObject(w.namespaceSelector)) w.namespaceSelector = {};
  if (!isObject(w.objectSelector)) w.objectSelector = {};
  w.timeoutSeconds ??= 10;
  if (mutating) w.reinvocationPolicy ??= 'Never';
  if (Array.isArray(w.rules))
    for (const r of w.rules) if (isObject(r)) r.scope ??= '*';
  const cc = isObject(w.clientConfig) ? w.clientConfig : undefined;
  if (cc && isObject(cc.service)) cc.service.port ??= 443;
}

function validateSelector(
  sel: unknown,
  path: string,
  errs: FieldError[],
): void {
  if (sel === undefined || sel === null) return;
  if (!isObject(sel)) {
    errs.push(fieldError.invalid(path, sel, 'must be a label selector'));
    return;
  }
  const ml = isObject(sel.matchLabels) ? sel.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) {
    for (const msg of qualifiedName(k))
      errs.push(fieldError.invalid(`${path}.matchLabels`, k, msg));
    for (const msg of labelValue(String(v)))
      errs.push(fieldError.invalid(`${path}.matchLabels`, v, msg));
  }
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  exprs.forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    if (!isObject(e)) return;
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length)
          errs.push(
            fieldError.required(
              `${p}.values`,
              "must be specified when `operator` is 'In' or 'NotIn'",
            ),
          );
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length)
          errs.push(
            fieldError.forbidden(
              `${p}.values`,
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        break;
      default:
        errs.push(
          fieldError.invalid(
            `${p}.operator`,
            e.operator,
            'not a valid selector operator',
          ),
        );
    }
    for (const msg of qualifiedName(String(e.key ?? '')))
      errs.push(fieldError.invalid(`${p}.key`, e.key, msg));
  });
}

function validateWebhook(
  w: JsonObject,
  path: string,
  mutating: boolean,
  errs: FieldError[],
): void {
  const name = String(w.name ?? '');
  if (!name) errs.push(fieldError.required(`${path}.name`));
  else {
    for (const msg of dns1123Subdomain(name))
      errs.push(fieldError.invalid(`${path}.name`, name, msg));
    if (name.split('.').length < 3)
      errs.push(
        fieldError.invalid(
          `${path}.name`,
          name,
          'should be a domain with at least three segments separated by dots',
        ),
      );
  }
  const cc = isObject(w.clientConfig) ? w.clientConfig : {};
  const hasUrl = typeof cc.url === 'string';
  const hasSvc = isObject(cc.service);
  if (hasUrl === hasSvc)
    errs.push(
      fieldError.required(
        `${path}.clientConfig`,
        'exactly one of url or service is required',
      ),
    );
  if (hasSvc) {
    const s = cc.service as JsonObject;
    if (!s.name)
      errs.push(fieldError.required(`${path}.clientConfig.service.name`));
    if (!s.namespace)
      errs.push(fieldError.required(`${path}.clientConfig.service.namespace`));
    if (
      s.path !== undefined &&
      (typeof s.path !== 'string' || !s.path.startsWith('/'))
    )
      errs.push(
        fieldError.invalid(
          `${path}.clientConfig.service.path`,
          s.path,
          "must start with a '/'",
        ),
      );
    const port = s.port as number;
    if (typeof port !== 'number' || port < 1 || port > 65535)
      errs.push(
        fieldError.invalid(
          `${path}.clientConfig.service.port`,
          port,
          'port is not valid: must be between 1 and 65535, inclusive',
        ),
      );
  }
  const rules = Array.isArray(w.rules) ? w.rules : [];
  rules.forEach((r, i) => {
    if (!isObject(r)) return;
    const p = `${path}.rules[${i}]`;
    const ops = Array.isArray(r.operations) ? r.operations : [];
    if (!ops.length) errs.push(fieldError.required(`${p}.operations`));
    ops.forEach((o, j) => {
      if (!OPERATIONS.has(String(o)))
        errs.push(
          fieldError.notSupported(`${p}.operations[${j}]`, o, [...OPERATIONS]),
        );
    });
    for (const f of ['apiGroups', 'apiVersions', 'resources'])
      if (!Array.isArray(r[f]) || !(r[f] as unknown[]).length)
        errs.push(fieldError.required(`${p}.${f}`));
    if (!['*', 'Cluster', 'Namespaced'].includes(String(r.scope)))
      errs.push(
        fieldError.notSupported(`${p}.scope`, r.scope, [
          'Cluster',
          'Namespaced',
          '*',
        ]),
      );
  });
  if (!['Fail', 'Ignore'].includes(String(w.failurePolicy)))
    errs.push(
      fieldError.notSupported(`${path}.failurePolicy`, w.failurePolicy, [
        'Fail',
        'Ignore',
      ]),
    );
  if (!['Exact', 'Equivalent'].includes(String(w.matchPolicy)))
    errs.push(
      fieldError.notSupported(`${path}.matchPolicy`, w.matchPolicy, [
        'Equivalent',
        'Exact',
      ]),
    );
  if (mutating && !['Never', 'IfNeeded'].includes(String(w.reinvocationPolicy)))
    errs.push(
      fieldError.notSupported(
        `${path}.reinvocationPolicy`,
        w.reinvocationPolicy,
        ['IfNeeded', 'Never'],
      ),
    );
  if (w.sideEffects === undefined)
    errs.push(
      fieldError.required(
        `${path}.sideEffects`,
        'must specify one of None, NoneOnDryRun',
      ),
    );
  else if (!SIDE_EFFECTS.has(String(w.sideEffects)))
    errs.push(
      fieldError.notSupported(`${path}.sideEffects`, w.sideEffects, [
        'None',
        'NoneOnDryRun',
      ]),
    );
  const versions = Array.isArray(w.admissionReviewVersions)
    ? w.admissionReviewVersions
    : [];
  if (!versions.length)
    errs.push(
      fieldError.required(
        `${path}.admissionReviewVersions`,
        'must specify one of v1, v1beta1',
      ),
    );
  else if (!versions.some(v => REVIEW_VERSIONS.has(String(v))))
    errs.push(
      fieldError.invalid(
        `${path}.admissionReviewVersions`,
        versions,
        'must include at least one of v1, v1beta1',
      ),
    );
  const t = w.timeoutSeconds as number;
  if (typeof t !== 'number' || t < 1 || t > 30)
    errs.push(
      fieldError.invalid(
        `${path}.timeoutSeconds`,
        t,
        'the timeout value must be between 1 and 30 seconds',
      ),
    );
  validateSelector(w.namespaceSelector, `${path}.namespaceSelector`, errs);
  validateSelector(w.objectSelector, `${path}.objectSelector`, errs);
  const conds = Array.isArray(w.matchConditions) ? w.matchConditions : [];
  if (conds.length > 64)
    errs.push({
      type: 'TooMany',
      field: `${path}.matchConditions`,
      value: conds.length,
      detail: 'must have at most 64 items',
    });
  const seen = new Set<string>();
  conds.forEach((c, i) => {
    if (!isObject(c)) return;
    const p = `${path}.matchConditions[${i}]`;
    const cn = String(c.name ?? '');
    if (!cn) errs.push(fieldError.required(`${p}.name`));
    else {
      for (const msg of qualifiedName(cn))
        errs.push(fieldError.invalid(`${p}.name`, cn, msg));
      if (seen.has(cn)) errs.push(fieldError.duplicate(`${p}.name`, cn));
      seen.add(cn);
    }
    if (typeof c.expression !== 'string' || !c.expression.trim())
      errs.push(fieldError.required(`${p}.expression`));
    else {
      try {
        compileCel(c.expression);
      } catch (e) {
        // The real server rejects expressions that do not compile; kube-sim's CEL is a
        // subset, so only plain syntax errors it is sure about are reported.
        if (
          !(e instanceof CelUnsupportedError) ||
          !/^expected|^unexpected|^unterminated/.test(e.message)
        )
          return;
        errs.push(
          fieldError.invalid(
            `${p}.expression`,
            c.expression,
            `compilation failed: ERROR: <input>: Syntax error: ${e.message}`,
          ),
        );
      }
    }
  });
}

/** The strategy of both webhook configuration kinds (defaults, validation). */
export function webhookConfigurationStrategy(mutating: boolean) {
  return {
    defaults: (o: KubeObject) => {
      if (!Array.isArray(o.webhooks)) return;
      for (const w of o.webhooks) if (isObject(w)) defaultWebhook(w, mutating);
    },
    validate: (o: KubeObject): FieldError[] => {
      const errs: FieldError[] = [];
      const list = Array.isArray(o.webhooks) ? o.webhooks : [];
      const names = new Set<string>();
      list.forEach((w, i) => {
        if (!isObject(w)) return;
        const name = String(w.name ?? '');
        if (name && names.has(name))
          errs.push(fieldError.duplicate(`webhooks[${i}].name`, name));
        names.add(name);
        validateWebhook(w, `webhooks[${i}]`, mutating, errs);
      });
      return errs;
    },
  };
}
