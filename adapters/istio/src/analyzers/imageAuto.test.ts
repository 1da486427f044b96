import { brief, run } from './__testUtils__/run';
import { imageAutoAnalyzer } from './imageAuto';

const webhook = `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector}
webhooks:
  - name: namespace.sidecar-injector.istio.io
    clientConfig: {service: {name: istiod, namespace: istio-system}}
    namespaceSelector: {matchLabels: {istio-injection: enabled}}
`;
const namespace = (name: string, labels: string) => `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${labels}}
`;
const deployment = (ns: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gateway, namespace: ${ns}}
spec:
  template:
    metadata: {labels: {istio: ingressgateway}, annotations: {inject.istio.io/templates: gateway}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
`;

describe('MS0266/MS0267 image: auto without injection (IST0146/IST0147)', () => {
  it('warns on a Deployment no Istio webhook selects and errs on a Pod still on image: auto', () => {
    const findings = run(
      imageAutoAnalyzer,
      `${webhook + namespace('gateways', '{}') + deployment('gateways')}---
apiVersion: v1
kind: Pod
metadata: {name: gw-1, namespace: gateways}
spec: {containers: [{name: istio-proxy, image: auto}]}
`,
    );
    expect(
      brief(findings).map(f => [f.code, f.istioCode, f.resource, f.path]),
    ).toEqual([
      [
        'MS0266',
        'IST0146',
        'Deployment/gateways/gateway',
        '/spec/template/spec/containers/0/image',
      ],
      ['MS0267', 'IST0147', 'Pod/gateways/gw-1', '/spec/containers/0/image'],
    ]);
  });

  it('is quiet for a Deployment in an injected namespace, and for real images', () => {
    expect(
      run(
        imageAutoAnalyzer,
        webhook +
          namespace('gateways', '{istio-injection: enabled}') +
          deployment('gateways'),
      ),
    ).toEqual([]);
    expect(
      run(
        imageAutoAnalyzer,
        `---
apiVersion: v1
kind: Pod
metadata: {name: gw-1, namespace: gateways}
spec: {containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.30.3}]}
`,
      ),
    ).toEqual([]);
  });
});
