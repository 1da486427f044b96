import * as k8s from '@kubernetes/client-node';
import { eventually } from '../__testUtils__/kubectl';
import { startKubeSimInstance, KubeSimInstance } from '../sim';
import { createCertificateAuthority } from '../tls/certificates';

jest.setTimeout(180_000);

describe('@kubernetes/client-node over https', () => {
  let sim: KubeSimInstance;
  beforeAll(async () => {
    sim = await startKubeSimInstance({ tls: true }, { podStartDelayMs: 50 });
  });
  afterAll(() => sim.close());

  it('lists and watches, verifying the server with the kubeconfig CA', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const ns = await core.listNamespace();
    expect(ns.items.map(n => n.metadata?.name)).toContain('kube-system');
    const seen: string[] = [];
    const req = await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      (type, obj) => seen.push(`${type} ${obj.metadata.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'over-tls' } },
    });
    await eventually(() => seen.includes('ADDED over-tls'));
    req.abort();
  });

  it('fails with another CA or a wrong token', async () => {
    const other = Buffer.from(createCertificateAuthority().certPem).toString(
      'base64',
    );
    const wrongCa = new k8s.KubeConfig();
    wrongCa.loadFromString(sim.kubeconfig().replace(sim.caData!, other));
    await expect(
      wrongCa.makeApiClient(k8s.CoreV1Api).listNamespace(),
    ).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    const wrongToken = new k8s.KubeConfig();
    wrongToken.loadFromString(sim.kubeconfig().replace(sim.token, 'nope'));
    await expect(
      wrongToken.makeApiClient(k8s.CoreV1Api).listNamespace(),
    ).rejects.toMatchObject({ code: 401 });
  });
});
