import { brief, run } from './__testUtils__/run';
import { externalControlPlaneAnalyzer, urlHost } from './externalControlPlane';

const webhooks = (kind: string, name: string, configs: string[]) => `---
apiVersion: admissionregistration.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}}
webhooks:
${configs
  .map((c, i) => `  - name: hook${i}.istio.io\n    clientConfig: ${c}`)
  .join('\n')}
`;

describe('MS0260/MS0261 external control plane webhooks (IST0163/IST0164)', () => {
  it('flags blank and IP-address webhook URLs of Istio webhooks', () => {
    const findings = run(
      externalControlPlaneAnalyzer,
      webhooks(
        'MutatingWebhookConfiguration',
        'istio-sidecar-injector-external',
        [
          '{url: null}',
          '{url: "https://10.0.0.5:15017/inject"}',
          '{url: "https://istiod.example.com:15017/inject"}',
        ],
      ) +
        webhooks('ValidatingWebhookConfiguration', 'istio-validator-external', [
          '{}',
        ]),
    );
    expect(
      brief(findings).map(f => [f.code, f.istioCode, f.resource, f.path]),
    ).toEqual([
      [
        'MS0260',
        'IST0163',
        'MutatingWebhookConfiguration//istio-sidecar-injector-external',
        '/webhooks/0/clientConfig',
      ],
      [
        'MS0261',
        'IST0164',
        'MutatingWebhookConfiguration//istio-sidecar-injector-external',
        '/webhooks/1/clientConfig/url',
      ],
      [
        'MS0260',
        'IST0163',
        'ValidatingWebhookConfiguration//istio-validator-external',
        '/webhooks/0/clientConfig',
      ],
    ]);
  });

  it('is quiet for Services, host names and other webhook configurations', () => {
    expect(
      run(
        externalControlPlaneAnalyzer,
        webhooks('MutatingWebhookConfiguration', 'istio-sidecar-injector', [
          '{service: {name: istiod, namespace: istio-system, path: /inject}}',
        ]) +
          webhooks('ValidatingWebhookConfiguration', 'cert-manager-webhook', [
            '{}',
          ]),
      ),
    ).toEqual([]);
  });

  it('reads hosts as Go does', () => {
    expect(urlHost('https://[fd00::1]:15017/x')).toBe('fd00::1');
    expect(urlHost('https://user@istiod.example.com/x')).toBe(
      'istiod.example.com',
    );
    expect(urlHost('inject')).toBe('');
    expect(urlHost('https://host:port/')).toBeUndefined();
  });
});
