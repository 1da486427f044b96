import {
  istioInjectorYaml,
  linkerdInjectorYaml,
} from '../__testUtils__/injectorSeeds';
import { kubectlFixture, KubectlFixture } from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

interface Pod {
  metadata: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    containers: { name: string; image: string }[];
    initContainers?: { name: string; image: string }[];
  };
}

describe('sidecar injection seen through kubectl', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture();
  });
  afterAll(() => f.close());

  const pods = async (ns: string, app: string): Promise<Pod[]> =>
    JSON.parse(
      await f.ok(['-n', ns, 'get', 'pods', '-l', `app=${app}`, '-o', 'json']),
    ).items;

  it('injects istio-proxy into pods of a labelled namespace once istiod and its webhook exist', async () => {
    await f.ok(['create', 'ns', 'shop']);
    await f.ok(['label', 'ns', 'shop', 'istio-injection=enabled']);
    // no control plane yet: no webhook, no injection
    await f.ok(['-n', 'shop', 'create', 'deploy', 'early', '--image=nginx']);
    await f.ok([
      '-n',
      'shop',
      'rollout',
      'status',
      'deploy/early',
      '--timeout=120s',
    ]);
    expect(
      (await pods('shop', 'early'))[0].spec.containers.map(c => c.name),
    ).toEqual(['nginx']);

    await f.ok(['create', 'ns', 'istio-system']);
    await f.ok([
      '-n',
      'istio-system',
      'create',
      'deploy',
      'istiod',
      '--image=docker.io/istio/pilot:1.24.2',
    ]);
    // istiod's Deployment alone injects nothing: the webhook configuration does.
    await f.ok(['-n', 'shop', 'run', 'still-plain', '--image=nginx']);
    expect(
      JSON.parse(
        await f.ok(['-n', 'shop', 'get', 'pod', 'still-plain', '-o', 'json']),
      ).spec.containers.map((c: { name: string }) => c.name),
    ).toEqual(['still-plain']);
    await f.ok(['apply', '-f', '-'], {
      input: istioInjectorYaml({ tag: '1.24.2' }),
    });
    await f.ok([
      '-n',
      'shop',
      'create',
      'deploy',
      'cart',
      '--image=nginx',
      '--replicas=2',
    ]);
    await f.ok([
      '-n',
      'shop',
      'rollout',
      'status',
      'deploy/cart',
      '--timeout=120s',
    ]);
    const injected = await pods('shop', 'cart');
    expect(injected).toHaveLength(2);
    for (const p of injected) {
      expect(p.spec.containers.map(c => c.name)).toEqual([
        'nginx',
        'istio-proxy',
      ]);
      expect(p.spec.containers[1].image).toBe('docker.io/istio/proxyv2:1.24.2');
      expect(p.spec.initContainers?.map(c => c.name)).toEqual(['istio-init']);
      expect(p.metadata.labels).toMatchObject({
        'security.istio.io/tlsMode': 'istio',
        'service.istio.io/canonical-name': 'cart',
        'istio.io/rev': 'default',
      });
      expect(
        JSON.parse(p.metadata.annotations['sidecar.istio.io/status']).revision,
      ).toBe('default');
    }
    const table = await f.ok(['-n', 'shop', 'get', 'pods', '-l', 'app=cart']);
    expect(table).toMatch(/cart-\S+\s+2\/2\s+Running/);
    // opt-out
    await f.ok([
      '-n',
      'shop',
      'run',
      'plain',
      '--image=nginx',
      '--labels=app=plain,sidecar.istio.io/inject=false',
    ]);
    expect(
      (await pods('shop', 'plain'))[0].spec.containers.map(c => c.name),
    ).toEqual(['plain']);
  });

  it('uses the istiod of the namespace revision', async () => {
    await f.ok(['-n', 'istio-system', 'apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod-canary, labels: {app: istiod, istio.io/rev: canary}}
spec:
  selector: {matchLabels: {app: istiod, istio.io/rev: canary}}
  template:
    metadata: {labels: {app: istiod, istio.io/rev: canary}}
    spec: {containers: [{name: discovery, image: docker.io/istio/pilot:1.25.0}]}
`,
    });
    await f.ok(['apply', '-f', '-'], {
      input: istioInjectorYaml({ revision: 'canary', tag: '1.25.0' }),
    });
    await f.ok(['create', 'ns', 'canary']);
    await f.ok(['label', 'ns', 'canary', 'istio.io/rev=canary']);
    await f.ok(['-n', 'canary', 'create', 'deploy', 'api', '--image=nginx']);
    await f.ok([
      '-n',
      'canary',
      'rollout',
      'status',
      'deploy/api',
      '--timeout=120s',
    ]);
    const [p] = await pods('canary', 'api');
    expect(p.spec.containers[1].image).toBe('docker.io/istio/proxyv2:1.25.0');
    expect(p.metadata.labels['istio.io/rev']).toBe('canary');
  });

  it('injects linkerd-proxy when the namespace is annotated and Linkerd runs', async () => {
    await f.ok(['create', 'ns', 'linkerd']);
    await f.ok([
      '-n',
      'linkerd',
      'create',
      'deploy',
      'linkerd-destination',
      '--image=cr.l5d.io/linkerd/controller:stable-2.14.10',
    ]);
    await f.ok(['apply', '-f', '-'], {
      input: linkerdInjectorYaml({ version: 'stable-2.14.10' }),
    });
    await f.ok(['create', 'ns', 'books']);
    await f.ok(['annotate', 'ns', 'books', 'linkerd.io/inject=enabled']);
    await f.ok(['-n', 'books', 'create', 'deploy', 'reader', '--image=nginx']);
    await f.ok([
      '-n',
      'books',
      'rollout',
      'status',
      'deploy/reader',
      '--timeout=120s',
    ]);
    const [p] = await pods('books', 'reader');
    expect(p.spec.containers.map(c => c.name)).toEqual([
      'linkerd-proxy',
      'nginx',
    ]);
    expect(p.spec.containers[0].image).toBe(
      'cr.l5d.io/linkerd/proxy:stable-2.14.10',
    );
    expect(p.spec.initContainers?.map(c => c.name)).toEqual(['linkerd-init']);
    expect(p.metadata.annotations['linkerd.io/proxy-version']).toBe(
      'stable-2.14.10',
    );
    expect(p.metadata.annotations['linkerd.io/created-by']).toBe(
      'linkerd/proxy-injector stable-2.14.10',
    );
    expect(p.metadata.labels['linkerd.io/control-plane-ns']).toBe('linkerd');
    const logs = await f.ok(['-n', 'books', 'logs', 'deploy/reader']);
    expect(logs).toContain('container');
  });
});
