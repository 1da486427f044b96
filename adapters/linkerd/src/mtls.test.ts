import { detectLinkerd } from './detect';
import { fullControlPlane, namespace } from './testFixtures';

const cpNamespace = namespace('linkerd', {
  labels: { 'linkerd.io/is-control-plane': 'true' },
});

const config = (values: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'linkerd-config', namespace: 'linkerd' },
  data: { values },
});

describe('Linkerd mTLS in detection', () => {
  it('is PERMISSIVE under Linkerd’s default all-unauthenticated policy', () => {
    const status = detectLinkerd({
      namespaces: [cpNamespace],
      deployments: fullControlPlane(),
      pods: [],
      configMaps: [config(JSON.stringify({ proxy: { image: {} } }))],
    });
    expect(status.mtls).toEqual({
      mode: 'PERMISSIVE',
      source: 'Linkerd default inbound policy all-unauthenticated',
    });
  });

  it('reads the policy from YAML values, and namespace overrides from annotations', () => {
    const status = detectLinkerd({
      namespaces: [
        cpNamespace,
        namespace('payments', {
          annotations: {
            'linkerd.io/inject': 'enabled',
            'config.linkerd.io/default-inbound-policy': 'all-unauthenticated',
          },
        }),
        namespace('web', { annotations: { 'linkerd.io/inject': 'enabled' } }),
      ],
      deployments: fullControlPlane(),
      pods: [],
      configMaps: [
        config(
          'linkerdVersion: stable-2.14.10\nproxy:\n  defaultInboundPolicy: all-authenticated\n',
        ),
      ],
    });
    expect(status.mtls).toEqual({
      mode: 'STRICT',
      source:
        'default inbound policy all-authenticated (linkerd/linkerd-config)',
    });
    expect(
      Object.fromEntries(status.namespaces.map(n => [n.name, n.mtlsMode])),
    ).toEqual({ payments: 'PERMISSIVE', web: undefined });
  });

  it('reports no mTLS when the control plane is absent', () => {
    expect(
      detectLinkerd({ namespaces: [cpNamespace], deployments: [], pods: [] })
        .mtls,
    ).toBeUndefined();
  });
});
