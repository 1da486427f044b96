import { brief, run } from './__testUtils__/run';
import { injectionWebhooksAnalyzer } from './injectionWebhooks';

const webhook = (name: string, hooks: string[]) => `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: ${name}}
webhooks:
${hooks.map(h => `  - ${h}`).join('\n')}
`;
const hook = (name: string, nsSelector: string, service = 'istiod') =>
  `{name: ${name}, clientConfig: {service: {name: ${service}, namespace: istio-system, path: /inject}}, namespaceSelector: ${nsSelector}}`;
const istiod = (name: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: istio-system}
spec: {ports: [{name: https-webhook, port: 443}]}
`;

describe('MS0262 Istio injection webhooks (IST0139)', () => {
  it('flags webhooks injecting the same namespaces, and a missing istiod Service', () => {
    const findings = run(
      injectionWebhooksAnalyzer,
      istiod('istiod') +
        webhook('istio-sidecar-injector', [
          hook(
            'namespace.sidecar-injector.istio.io',
            '{matchLabels: {istio-injection: enabled}}',
          ),
        ]) +
        webhook('istio-sidecar-injector-copy', [
          hook(
            'copy.sidecar-injector.istio.io',
            '{matchLabels: {istio-injection: enabled}}',
            'istiod-gone',
          ),
        ]),
    );
    expect(
      brief(findings).map(f => [f.code, f.istioCode, f.resource, f.path]),
    ).toEqual([
      [
        'MS0262',
        'IST0139',
        'MutatingWebhookConfiguration//istio-sidecar-injector',
        '/webhooks/0',
      ],
      [
        'MS0262',
        'IST0139',
        'MutatingWebhookConfiguration//istio-sidecar-injector-copy',
        '/webhooks/0',
      ],
      [
        'MS0262',
        'IST0139',
        'MutatingWebhookConfiguration//istio-sidecar-injector-copy',
        '/webhooks/0/clientConfig/service',
      ],
    ]);
    expect(findings[0].message).toBe(
      'Webhook overlaps with others: [istio-sidecar-injector-copy/copy.sidecar-injector.istio.io]. This may cause injection to occur twice.',
    );
  });

  it('is quiet for disjoint revisions and for webhooks that are not Istio’s', () => {
    expect(
      run(
        injectionWebhooksAnalyzer,
        istiod('istiod') +
          istiod('istiod-canary') +
          webhook('istio-sidecar-injector', [
            hook(
              'rev.namespace.sidecar-injector.istio.io',
              '{matchLabels: {istio-injection: enabled}}',
            ),
          ]) +
          webhook('istio-sidecar-injector-canary', [
            hook(
              'rev.canary.sidecar-injector.istio.io',
              '{matchExpressions: [{key: istio.io/rev, operator: In, values: [canary]}, {key: istio-injection, operator: DoesNotExist}]}',
              'istiod-canary',
            ),
          ]) +
          webhook('cert-manager-webhook', [
            '{name: webhook.cert-manager.io, clientConfig: {service: {name: cm, namespace: cert-manager}}}',
          ]),
      ),
    ).toEqual([]);
  });
});
