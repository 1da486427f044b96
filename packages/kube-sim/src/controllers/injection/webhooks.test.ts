import { KubeObject } from '../../api/types';
import { defaultInjectors, istioInjectRequired } from './injectors';
import {
  AdmissionAttributes,
  AdmissionWebhook,
  decideWebhook,
  evaluateMatchConditions,
  namespaceSelectorMatches,
  objectSelectorMatches,
  ruleMatches,
  webhookSelectorMatches,
} from './webhooks';
import { webhookConfigurationStrategy } from './webhook-config';

const pod = (labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'shop', labels },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

const podCreate = (
  over: Partial<AdmissionAttributes> = {},
): AdmissionAttributes => ({
  operation: 'CREATE',
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  subresource: '',
  namespaced: true,
  namespace: 'shop',
  name: 'p',
  object: pod(),
  namespaceLabels: { 'kubernetes.io/metadata.name': 'shop' },
  ...over,
});

const POD_RULE = {
  operations: ['CREATE'],
  apiGroups: [''],
  apiVersions: ['v1'],
  resources: ['pods'],
};

describe('webhook rules', () => {
  it('match operations, groups, versions, resources and scope, with wildcards', () => {
    expect(ruleMatches(POD_RULE, podCreate())).toBe(true);
    expect(ruleMatches(POD_RULE, podCreate({ operation: 'UPDATE' }))).toBe(
      false,
    );
    expect(
      ruleMatches(
        { ...POD_RULE, operations: ['*'] },
        podCreate({ operation: 'UPDATE' }),
      ),
    ).toBe(true);
    expect(ruleMatches({ ...POD_RULE, apiGroups: ['apps'] }, podCreate())).toBe(
      false,
    );
    expect(
      ruleMatches(
        { ...POD_RULE, apiGroups: ['*'], apiVersions: ['*'] },
        podCreate(),
      ),
    ).toBe(true);
    expect(ruleMatches({ ...POD_RULE, resources: ['*'] }, podCreate())).toBe(
      true,
    );
    expect(ruleMatches({ ...POD_RULE, scope: 'Cluster' }, podCreate())).toBe(
      false,
    );
    expect(ruleMatches({ ...POD_RULE, scope: 'Namespaced' }, podCreate())).toBe(
      true,
    );
    expect(ruleMatches({ ...POD_RULE, scope: '*' }, podCreate())).toBe(true);
  });

  it('treat subresources as the API server does', () => {
    const status = podCreate({ operation: 'UPDATE', subresource: 'status' });
    const rule = { ...POD_RULE, operations: ['UPDATE'] };
    expect(ruleMatches(rule, status)).toBe(false);
    expect(ruleMatches({ ...rule, resources: ['*'] }, status)).toBe(false);
    expect(ruleMatches({ ...rule, resources: ['pods/*'] }, status)).toBe(true);
    expect(ruleMatches({ ...rule, resources: ['*/status'] }, status)).toBe(
      true,
    );
    expect(ruleMatches({ ...rule, resources: ['*/*'] }, status)).toBe(true);
    expect(ruleMatches({ ...rule, resources: ['pods/status'] }, status)).toBe(
      true,
    );
    expect(
      ruleMatches(
        { ...rule, resources: ['pods/*'] },
        podCreate({ operation: 'UPDATE' }),
      ),
    ).toBe(false);
  });
});

describe('webhook selectors', () => {
  it('evaluate matchLabels and the In, NotIn, Exists and DoesNotExist operators', () => {
    const labels = { 'istio.io/rev': 'canary', team: 'a' };
    const m = (spec: object) => webhookSelectorMatches(spec, labels);
    expect(m({})).toBe(true);
    expect(webhookSelectorMatches(undefined, labels)).toBe(true);
    expect(m({ matchLabels: { team: 'a' } })).toBe(true);
    expect(m({ matchLabels: { team: 'b' } })).toBe(false);
    const expr = (operator: string, key: string, values?: string[]) =>
      m({ matchExpressions: [{ key, operator, values }] });
    expect(expr('In', 'istio.io/rev', ['canary', 'stable'])).toBe(true);
    expect(expr('In', 'istio.io/rev', ['stable'])).toBe(false);
    expect(expr('In', 'missing', ['x'])).toBe(false);
    expect(expr('NotIn', 'istio.io/rev', ['stable'])).toBe(true);
    expect(expr('NotIn', 'istio.io/rev', ['canary'])).toBe(false);
    expect(expr('NotIn', 'missing', ['x'])).toBe(true);
    expect(expr('Exists', 'team')).toBe(true);
    expect(expr('Exists', 'missing')).toBe(false);
    expect(expr('DoesNotExist', 'missing')).toBe(true);
    expect(expr('DoesNotExist', 'team')).toBe(false);
    // all requirements must hold
    expect(
      m({
        matchLabels: { team: 'a' },
        matchExpressions: [
          { key: 'istio-injection', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe(true);
  });

  it('match namespaces by their labels, including kubernetes.io/metadata.name', () => {
    const linkerd: AdmissionWebhook = {
      name: 'linkerd-proxy-injector.linkerd.io',
      namespaceSelector: {
        matchExpressions: [
          {
            key: 'config.linkerd.io/admission-webhooks',
            operator: 'NotIn',
            values: ['disabled'],
          },
          {
            key: 'kubernetes.io/metadata.name',
            operator: 'NotIn',
            values: ['kube-system', 'cert-manager'],
          },
        ],
      },
    };
    expect(namespaceSelectorMatches(linkerd, podCreate())).toBe(true);
    expect(
      namespaceSelectorMatches(
        linkerd,
        podCreate({
          namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
        }),
      ),
    ).toBe(false);
    // cluster-scoped objects other than namespaces always match
    expect(
      namespaceSelectorMatches(linkerd, {
        ...podCreate(),
        namespaced: false,
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
      }),
    ).toBe(true);
    // a Namespace is matched on its own labels
    expect(
      namespaceSelectorMatches(linkerd, {
        ...podCreate(),
        namespaced: false,
        resource: 'namespaces',
        object: {
          metadata: {
            labels: { 'kubernetes.io/metadata.name': 'kube-system' },
          },
        },
      }),
    ).toBe(false);
  });

  it('match objects by the new or the old object labels', () => {
    const optOut: AdmissionWebhook = {
      name: 'namespace.sidecar-injector.istio.io',
      objectSelector: {
        matchExpressions: [
          {
            key: 'sidecar.istio.io/inject',
            operator: 'NotIn',
            values: ['false'],
          },
        ],
      },
    };
    expect(objectSelectorMatches(optOut, podCreate())).toBe(true);
    expect(
      objectSelectorMatches(
        optOut,
        podCreate({ object: pod({ 'sidecar.istio.io/inject': 'false' }) }),
      ),
    ).toBe(false);
    expect(
      objectSelectorMatches(
        optOut,
        podCreate({
          operation: 'UPDATE',
          object: pod({ 'sidecar.istio.io/inject': 'false' }),
          oldObject: pod(),
        }),
      ),
    ).toBe(true);
  });
});

describe('matchConditions', () => {
  const conditions = (...expressions: string[]) =>
    expressions.map((expression, i) => ({ name: `c${i}`, expression }));

  it('call the webhook only when every condition is true', () => {
    expect(
      evaluateMatchConditions(
        conditions(
          "object.metadata.namespace == 'shop'",
          "request.operation == 'CREATE'",
          "!has(object.metadata.labels) || !('sidecar.istio.io/inject' in object.metadata.labels)",
        ),
        podCreate(),
      ),
    ).toEqual({ match: true });
    expect(
      evaluateMatchConditions(
        conditions("request.userInfo.username != 'kube-sim-admin'"),
        podCreate(),
      ),
    ).toEqual({ match: false, condition: 'c0' });
  });

  it('let a false condition win over an error, else report the error', () => {
    expect(
      evaluateMatchConditions(
        conditions('object.metadata.nope == 1', 'false'),
        podCreate(),
      ),
    ).toEqual({ match: false, condition: 'c1' });
    const err = evaluateMatchConditions(
      conditions('object.metadata.nope == 1'),
      podCreate(),
    );
    expect(err).toEqual({
      error: expect.stringContaining('no such key: nope'),
    });
    // outside the simulator's CEL subset: also an error, never a silent match
    expect(
      evaluateMatchConditions(
        conditions(
          "authorizer.group('').resource('pods').check('create').allowed()",
        ),
        podCreate(),
      ),
    ).toEqual({
      error: expect.stringContaining("expression 'c0' resulted in error"),
    });
  });

  it('follow failurePolicy on errors: Fail rejects, Ignore skips the webhook', () => {
    const webhook: AdmissionWebhook = {
      name: 'x.example.com',
      rules: [POD_RULE],
      matchConditions: conditions('object.metadata.nope == 1'),
    };
    expect(decideWebhook(webhook, podCreate())).toEqual({
      error: expect.stringMatching(
        /^failed calling webhook "x.example.com": failed evaluating match conditions, failing closed: /,
      ),
    });
    expect(
      decideWebhook({ ...webhook, failurePolicy: 'Ignore' }, podCreate()),
    ).toMatchObject({ call: false });
    expect(
      decideWebhook(
        { ...webhook, matchConditions: conditions('true') },
        podCreate(),
      ),
    ).toEqual({ call: true });
    expect(
      decideWebhook(
        { ...webhook, rules: [{ ...POD_RULE, resources: ['services'] }] },
        podCreate(),
      ),
    ).toEqual({ call: false, reason: 'rules' });
  });
});

describe('injector registry', () => {
  const registry = defaultInjectors();
  it('finds the injector by the Service (and path) a webhook calls', () => {
    const find = (name: string, path?: string) =>
      registry.find({ namespace: 'istio-system', name, path })?.id;
    expect(find('istiod', '/inject')).toBe('istio');
    expect(find('istiod-1-30-3', '/inject')).toBe('istio');
    expect(find('istiod-1-30-3', '/inject/cluster/c1/net/n1')).toBe('istio');
    expect(find('istiod', '/validate')).toBeUndefined();
    expect(find('linkerd-proxy-injector', '/')).toBe('linkerd');
    expect(find('linkerd-sp-validator', '/')).toBeUndefined();
    expect(registry.find(undefined)).toBeUndefined();
  });

  it("applies istiod's own decision after the webhook matched", () => {
    const cfg = { policy: 'enabled', alwaysInject: [], neverInject: [] };
    expect(istioInjectRequired(pod(), 'shop', cfg)).toBe(true);
    expect(istioInjectRequired(pod(), 'kube-system', cfg)).toBe(false);
    const annotated = pod();
    annotated.metadata!.annotations = { 'sidecar.istio.io/inject': 'false' };
    expect(istioInjectRequired(annotated, 'shop', cfg)).toBe(false);
    expect(
      istioInjectRequired(pod({ 'sidecar.istio.io/inject': 'true' }), 'shop', {
        ...cfg,
        policy: 'disabled',
      }),
    ).toBe(true);
    expect(
      istioInjectRequired(pod(), 'shop', { ...cfg, policy: 'disabled' }),
    ).toBe(false);
    expect(
      istioInjectRequired(pod({ app: 'db' }), 'shop', {
        ...cfg,
        neverInject: [{ matchLabels: { app: 'db' } }],
      }),
    ).toBe(false);
  });
});

describe('webhook configuration defaults and validation', () => {
  const strategy = webhookConfigurationStrategy(true);
  const config = (webhook: Record<string, unknown>): KubeObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'c' },
    webhooks: [
      {
        name: 'a.example.com',
        clientConfig: { service: { name: 's', namespace: 'n', path: '/m' } },
        rules: [POD_RULE],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        ...webhook,
      },
    ],
  });

  it('defaults as the v1 API does', () => {
    const c = config({});
    strategy.defaults(c);
    expect((c.webhooks as unknown[])[0]).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      reinvocationPolicy: 'Never',
      rules: [{ scope: '*' }],
      clientConfig: { service: { port: 443 } },
    });
    expect(strategy.validate(c)).toEqual([]);
  });

  it('rejects what the API server rejects', () => {
    const errors = (w: Record<string, unknown>) => {
      const c = config(w);
      strategy.defaults(c);
      return strategy.validate(c).map(e => `${e.field}: ${e.type}`);
    };
    expect(errors({ name: 'short.name' })).toEqual([
      'webhooks[0].name: Invalid',
    ]);
    expect(errors({ sideEffects: undefined })).toEqual([
      'webhooks[0].sideEffects: Required',
    ]);
    expect(errors({ sideEffects: 'Some' })).toEqual([
      'webhooks[0].sideEffects: NotSupported',
    ]);
    expect(errors({ failurePolicy: 'Maybe' })).toEqual([
      'webhooks[0].failurePolicy: NotSupported',
    ]);
    expect(errors({ clientConfig: {} })).toEqual([
      'webhooks[0].clientConfig: Required',
    ]);
    expect(
      errors({
        namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
      }),
    ).toEqual([
      'webhooks[0].namespaceSelector.matchExpressions[0].values: Required',
    ]);
    expect(
      errors({
        objectSelector: {
          matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }],
        },
      }),
    ).toEqual([
      'webhooks[0].objectSelector.matchExpressions[0].operator: Invalid',
    ]);
    expect(
      errors({
        matchConditions: [
          { name: 'x', expression: 'true' },
          { name: 'x', expression: '1 +' },
        ],
      }),
    ).toEqual([
      'webhooks[0].matchConditions[1].name: Duplicate',
      'webhooks[0].matchConditions[1].expression: Invalid',
    ]);
  });
});
