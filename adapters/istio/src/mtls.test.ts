import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { detectIstio } from './detect';
import { istiod, namespace } from './testFixtures';

const peerAuthentication = (
  ns: string,
  name: string,
  mode: string,
  options: { selector?: Record<string, string>; created?: string } = {},
): KubeObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: {
    name,
    namespace: ns,
    creationTimestamp: options.created ?? '2026-01-01T00:00:00Z',
  },
  spec: {
    ...(options.selector
      ? { selector: { matchLabels: options.selector } }
      : {}),
    mtls: { mode },
  },
});

const tagWebhook = (tag: string, revision: string): KubeObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: {
    name: `istio-revision-tag-${tag}`,
    labels: { 'istio.io/tag': tag, 'istio.io/rev': revision },
  },
});

const base = {
  deployments: [istiod({})],
  namespaces: [
    namespace('istio-system'),
    namespace('bookinfo', { 'istio-injection': 'enabled' }),
    namespace('payments', { 'istio-injection': 'enabled' }),
  ],
  pods: [],
};

describe('Istio mTLS and revision tags in detection', () => {
  it('reports PERMISSIVE by default, naming the default as the source', () => {
    expect(detectIstio(base).mtls).toEqual({
      mode: 'PERMISSIVE',
      source: 'Istio default (no mesh-wide PeerAuthentication in istio-system)',
    });
  });

  it('takes the mesh-wide mode from the root namespace and namespace overrides from others', () => {
    const status = detectIstio({
      ...base,
      peerAuthentications: [
        peerAuthentication('istio-system', 'default', 'STRICT'),
        peerAuthentication('payments', 'legacy', 'PERMISSIVE'),
        // a workload-level policy is not a namespace mode
        peerAuthentication('bookinfo', 'db', 'DISABLE', {
          selector: { app: 'db' },
        }),
        // UNSET inherits
        peerAuthentication('bookinfo', 'inherit', 'UNSET'),
      ],
    });
    expect(status.mtls).toEqual({
      mode: 'STRICT',
      source: 'PeerAuthentication istio-system/default',
    });
    expect(
      Object.fromEntries(status.namespaces.map(n => [n.name, n.mtlsMode])),
    ).toEqual({ bookinfo: undefined, payments: 'PERMISSIVE' });
  });

  it('lets the oldest of two competing mesh-wide policies win', () => {
    const status = detectIstio({
      ...base,
      peerAuthentications: [
        peerAuthentication('istio-system', 'newer', 'DISABLE', {
          created: '2026-02-01T00:00:00Z',
        }),
        peerAuthentication('istio-system', 'older', 'STRICT', {
          created: '2026-01-01T00:00:00Z',
        }),
      ],
    });
    expect(status.mtls?.source).toBe('PeerAuthentication istio-system/older');
  });

  it('lists revision tags sorted, and reports no mTLS when Istio is not installed', () => {
    const status = detectIstio({
      ...base,
      tagWebhooks: [
        tagWebhook('prod-stable', '1-24-2'),
        tagWebhook('canary', '1-23-4'),
      ],
    });
    expect(status.revisionTags).toEqual([
      { tag: 'canary', revision: '1-23-4' },
      { tag: 'prod-stable', revision: '1-24-2' },
    ]);
    expect(detectIstio({ ...base, deployments: [] }).mtls).toBeUndefined();
  });
});
