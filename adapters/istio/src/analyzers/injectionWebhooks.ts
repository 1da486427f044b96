import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor, selectorMatches } from '@meshstage/plugin-mesh-node';
import { REVISION_LABEL } from '../constants';
import { arr, IstioCode } from './common';

const CODE: IstioCode = {
  code: 'MS0262',
  name: 'InvalidWebhook',
  severity: 'error',
  summary:
    "Istio's injection webhooks overlap (a pod would be injected twice) or one refers to a control plane Service that does not exist.",
  help: 'Make the webhooks’ namespace and object selectors disjoint (one per revision or tag), and point each at an existing istiod Service.',
  istioCode: 'IST0139',
};

const ADMISSION = 'admissionregistration.k8s.io/v1';

type Selector = Parameters<typeof selectorMatches>[0];

/** The revisions a webhook configuration names: its label, and its selectors' `istio.io/rev`. */
function revisions(config: KubeObject): string[] {
  const out = new Set<string>();
  const own = config.metadata.labels?.[REVISION_LABEL];
  if (own !== undefined) out.add(own);
  for (const hook of arr((config as { webhooks?: unknown }).webhooks)) {
    for (const sel of [hook?.namespaceSelector, hook?.objectSelector]) {
      if (!sel) continue;
      const v = sel.matchLabels?.[REVISION_LABEL];
      if (v !== undefined) out.add(v);
      for (const e of arr(sel.matchExpressions))
        if (e?.key === REVISION_LABEL)
          for (const x of arr<string>(e.values)) out.add(x);
    }
  }
  return [...out];
}

/** Label sets of namespaces and pods istioctl tries: none, enabled, disabled, each per revision. */
function labelSets(key: string, on: string, off: string, revs: string[]) {
  const base: Array<Record<string, string>> = [
    {},
    { [key]: on },
    { [key]: off },
  ];
  return [
    ...base,
    ...revs.flatMap(rev => base.map(b => ({ ...b, [REVISION_LABEL]: rev }))),
  ];
}

/**
 * MS0262 (IST0139): Istio's injection webhooks (configurations with a revision, or a webhook
 * named `*istio.io`) as istioctl checks them: for each combination of namespace labels (none,
 * `istio-injection` enabled/disabled, each with every revision) and pod labels (none,
 * `sidecar.istio.io/inject` true/false, each with every revision), webhooks that all match
 * overlap; and a webhook's `clientConfig.service` must exist.
 * @public
 */
export const injectionWebhooksAnalyzer: Analyzer = {
  id: 'istio.injection-webhooks',
  description: CODE.summary,
  inputs: [
    { apiVersion: ADMISSION, kind: 'MutatingWebhookConfiguration' },
    { apiVersion: 'v1', kind: 'Service' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    const hooks: Array<{
      config: KubeObject;
      hook: any;
      index: number;
      id: string;
    }> = [];
    const revs = new Set<string>();
    for (const config of snapshot.list(
      ADMISSION,
      'MutatingWebhookConfiguration',
    )) {
      const own = revisions(config);
      const webhooks = arr((config as { webhooks?: unknown }).webhooks);
      const istio = webhooks.some(
        (h: any) => typeof h?.name === 'string' && h.name.endsWith('istio.io'),
      );
      if (own.length === 0 && !istio) continue;
      own.forEach(r => revs.add(r));
      webhooks.forEach((hook: any, index) =>
        hooks.push({
          config,
          hook,
          index,
          id: `${config.metadata.name}/${hook?.name}`,
        }),
      );
    }
    const revList = [...revs];
    const out: Finding[] = [];
    const seen = new Set<string>();
    const report = (
      h: (typeof hooks)[number],
      path: string,
      message: string,
    ) => {
      const key = `${h.config.metadata.name}|${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(
        findingFor(CODE, h.config, `/webhooks/${h.index}${path}`, message),
      );
    };
    for (const ns of labelSets(
      'istio-injection',
      'enabled',
      'disabled',
      revList,
    ))
      for (const pod of labelSets(
        'sidecar.istio.io/inject',
        'true',
        'false',
        revList,
      )) {
        const matching = hooks.filter(
          h =>
            selectorMatches(h.hook?.namespaceSelector as Selector, ns) &&
            selectorMatches(h.hook?.objectSelector as Selector, pod),
        );
        const ids = [...new Set(matching.map(h => h.id))];
        if (ids.length < 2) continue;
        for (const h of matching) {
          const others = ids.filter(i => i !== h.id).sort();
          report(
            h,
            '',
            `Webhook overlaps with others: [${others.join(
              ' ',
            )}]. This may cause injection to occur twice.`,
          );
        }
      }
    for (const h of hooks) {
      const svc = h.hook?.clientConfig?.service;
      if (!svc) continue;
      if (!snapshot.get('v1', 'Service', svc.namespace, svc.name))
        report(
          h,
          '/clientConfig/service',
          `Injector refers to a control plane service that does not exist: ${svc.namespace}/${svc.name}.`,
        );
    }
    return out;
  },
};
