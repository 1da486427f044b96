import * as k8s from '@kubernetes/client-node';
import { eventually } from '../__testUtils__/kubectl';
import { startKubeSimInstance, KubeSimInstance } from '../sim';

jest.setTimeout(180_000);

describe('@kubernetes/client-node against kube-sim', () => {
  let sim: KubeSimInstance;
  let kc: k8s.KubeConfig;

  beforeAll(async () => {
    sim = await startKubeSimInstance(
      {},
      { podStartDelayMs: 50, historySize: 50 },
    );
    kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig());
  });
  afterAll(() => sim.close());

  it('lists, creates and deletes with the typed APIs', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const ns = await core.listNamespace();
    expect(ns.items.map(n => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
    const cm = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cn' }, data: { a: '1' } },
    });
    expect(cm.metadata?.uid).toBeDefined();
    expect(cm.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const listed = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(listed.items.map(c => c.metadata?.name)).toContain('cn');
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'api' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'api' } },
          template: {
            metadata: { labels: { app: 'api' } },
            spec: { containers: [{ name: 'api', image: 'nginx' }] },
          },
        },
      },
    });
    await eventually(
      async () =>
        (
          await apps.readNamespacedDeployment({
            name: 'api',
            namespace: 'default',
          })
        ).status?.readyReplicas === 2,
    );
    const pods = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'app=api',
    });
    expect(pods.items).toHaveLength(2);
    expect(pods.items[0].status?.phase).toBe('Running');
    await core.deleteNamespacedConfigMap({ name: 'cn', namespace: 'default' });
    await expect(
      core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' }),
    ).rejects.toMatchObject({ code: 404 });
    const err = await core
      .readNamespacedConfigMap({ name: 'cn', namespace: 'default' })
      .catch(e => e as k8s.ApiException<string>);
    expect(JSON.parse((err as k8s.ApiException<string>).body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'configmaps "cn" not found',
    });
  });

  it('server-side applies with KubernetesObjectApi and reports conflicts', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa', namespace: 'default' },
      data: { k: 'v1' },
    };
    const created = await objects.patch(
      body,
      undefined,
      undefined,
      'meshstage',
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(
      (created as k8s.V1ConfigMap).metadata?.managedFields?.[0],
    ).toMatchObject({ manager: 'meshstage', operation: 'Apply' });
    await objects.patch(
      { ...body, data: { k: 'v1', extra: 'x' } },
      undefined,
      undefined,
      'meshstage',
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    );
    await expect(
      objects.patch(
        { ...body, data: { k: 'other' } },
        undefined,
        undefined,
        'someone-else',
        undefined,
        k8s.PatchStrategy.ServerSideApply,
      ),
    ).rejects.toMatchObject({ code: 409 });
    const forced = await objects.patch(
      { ...body, data: { k: 'other' } },
      undefined,
      undefined,
      'someone-else',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect((forced as k8s.V1ConfigMap).data).toEqual({
      k: 'other',
      extra: 'x',
    });
    const read = await objects.read({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa', namespace: 'default' },
    });
    expect((read as k8s.V1ConfigMap).data?.k).toBe('other');
  });

  it('watches ADDED, MODIFIED and DELETED', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    let done: unknown = 'open';
    const req = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { labelSelector: 'watched=yes' },
      (type, obj) => seen.push(`${type} ${obj.metadata.name}`),
      err => (done = err),
    );
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'w', labels: { watched: 'yes' } } },
    });
    await core.patchNamespacedConfigMap(
      { name: 'w', namespace: 'default', body: { data: { a: '1' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    // a change that makes it stop matching is a DELETED for this watch
    await core.patchNamespacedConfigMap(
      {
        name: 'w',
        namespace: 'default',
        body: { metadata: { labels: { watched: 'no' } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await eventually(() => seen.length >= 3);
    expect(seen).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
    req.abort();
    void done;
  });

  it('keeps an informer in sync across a 410 Gone (it relists)', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    let lists = 0;
    const informer = k8s.makeInformer(
      kc,
      '/api/v1/namespaces/inf/configmaps',
      () => {
        lists++;
        return core.listNamespacedConfigMap({ namespace: 'inf' });
      },
    );
    const errors: unknown[] = [];
    informer.on('error', e => errors.push(e));
    const added: string[] = [];
    informer.on('add', o => added.push(o.metadata!.name!));
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    await core.createNamespacedConfigMap({
      namespace: 'inf',
      body: { metadata: { name: 'a' } },
    });
    await informer.start();
    await eventually(() => added.includes('a'));
    // many changes elsewhere push the informer's resourceVersion out of the watch history
    for (let i = 0; i < 80; i++)
      await core.createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name: `s${i}` } },
      });
    sim.closeWatches();
    await eventually(() => lists >= 2);
    await core.createNamespacedConfigMap({
      namespace: 'inf',
      body: { metadata: { name: 'b' } },
    });
    await eventually(() =>
      informer
        .list()
        .map(o => o.metadata?.name)
        .includes('b'),
    );
    expect(
      informer
        .list()
        .map(o => o.metadata?.name)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(errors).toEqual([]);
    await informer.stop();
  });

  it('rejects requests without the token', async () => {
    const res = await fetch(`${sim.url}/api/v1/namespaces`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      kind: 'Status',
      code: 401,
      reason: 'Unauthorized',
    });
    const ok = await fetch(`${sim.url}/api/v1/namespaces`, {
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    expect(ok.status).toBe(200);
  });
});
