import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  eventually,
  kubectlFixture,
  KubectlFixture,
} from '../__testUtils__/kubectl';

// The vendors' own rendered manifests (helm template of Istio 1.30.3 and Linkerd edge-26.8.3),
// applied with real kubectl: injection follows the MutatingWebhookConfigurations they register.
// Test data lives outside the repository (see ../shared/vendor-manifests/README.md).
const VENDOR = path.resolve(
  __dirname,
  '../../../../../shared/vendor-manifests',
);
const ISTIO = path.join(VENDOR, 'istio/1.30.3');
const LINKERD = path.join(VENDOR, 'linkerd/edge-26.8.3');
const present = existsSync(ISTIO) && existsSync(LINKERD);
if (!present)
  // eslint-disable-next-line no-console
  console.warn(
    `kubectl-vendor-injection: skipped, no vendor manifests at ${VENDOR}`,
  );
const describeVendor = present ? describe : describe.skip;

jest.setTimeout(300_000);

interface Container {
  name: string;
  image: string;
}
interface Pod {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: { containers: Container[]; initContainers?: Container[] };
}

const POLL = 120_000;

/* eslint-disable jest/expect-expect -- expectIstioSidecar asserts */
describeVendor('injection from the vendors’ webhooks, through kubectl', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture();
  });
  afterAll(() => f?.close());

  const apply = (file: string) =>
    f.ok(['apply', '--server-side', '-f', file], { timeoutMs: 120_000 });
  const pods = async (ns: string, selector: string): Promise<Pod[]> =>
    JSON.parse(
      await f.ok(['-n', ns, 'get', 'pods', '-l', selector, '-o', 'json']),
    ).items;
  /** The pods of a selector once there are `n` of them. */
  const podsOf = (ns: string, selector: string, n = 1): Promise<Pod[]> =>
    eventually(async () => {
      const list = await pods(ns, selector);
      if (list.length < n)
        throw new Error(`${list.length} of ${n} pods ${selector} in ${ns}`);
      return list;
    }, POLL);
  const names = (cs: Container[] | undefined) => (cs ?? []).map(c => c.name);

  describe('Istio 1.30.3 (revision 1-30-3 and the default tag)', () => {
    beforeAll(async () => {
      await f.ok(['create', 'ns', 'istio-system']);
      await apply(path.join(ISTIO, 'base.yaml'));
      await apply(path.join(ISTIO, 'istiod-1-30-3.yaml'));
      await apply(path.join(ISTIO, 'revision-tag-default.yaml'));
    });

    const expectIstioSidecar = (p: Pod) => {
      expect(names(p.spec.containers)).toEqual(['nginx', 'istio-proxy']);
      // image from the injector ConfigMap: global.hub + global.proxy.image + global.tag
      expect(p.spec.containers[1].image).toBe(
        'registry.istio.io/release/proxyv2:1.30.3',
      );
      expect(names(p.spec.initContainers)).toEqual(['istio-init']);
      expect(p.spec.initContainers![0].image).toBe(
        'registry.istio.io/release/proxyv2:1.30.3',
      );
      // the revision the injector is configured with (values.revision), whatever the tag
      expect(
        JSON.parse(p.metadata.annotations!['sidecar.istio.io/status']),
      ).toMatchObject({ revision: '1-30-3', containers: ['istio-proxy'] });
      expect(p.metadata.labels).toMatchObject({
        'istio.io/rev': '1-30-3',
        'security.istio.io/tlsMode': 'istio',
      });
      expect(p.metadata.annotations!['istio.io/rev']).toBe('1-30-3');
    };

    it('injects a namespace labelled istio-injection=enabled through the default tag', async () => {
      await f.ok(['create', 'ns', 'shop']);
      await f.ok(['label', 'ns', 'shop', 'istio-injection=enabled']);
      await f.ok(['-n', 'shop', 'create', 'deploy', 'cart', '--image=nginx']);
      const [p] = await podsOf('shop', 'app=cart');
      expectIstioSidecar(p);
    });

    it('injects a namespace labelled istio.io/rev=1-30-3 through the revision’s own webhook', async () => {
      await f.ok(['create', 'ns', 'canary']);
      await f.ok(['label', 'ns', 'canary', 'istio.io/rev=1-30-3']);
      await f.ok(['-n', 'canary', 'create', 'deploy', 'api', '--image=nginx']);
      const [p] = await podsOf('canary', 'app=api');
      expectIstioSidecar(p);
    });

    it('leaves out pods labelled sidecar.istio.io/inject=false and unlabelled namespaces', async () => {
      await f.ok([
        '-n',
        'shop',
        'run',
        'plain',
        '--image=nginx',
        '--labels=app=plain,sidecar.istio.io/inject=false',
      ]);
      const [p] = await podsOf('shop', 'app=plain');
      expect(names(p.spec.containers)).toEqual(['plain']);
      expect(p.metadata.annotations?.['sidecar.istio.io/status']).toBe(
        undefined,
      );
      await f.ok(['create', 'ns', 'outside']);
      await f.ok([
        '-n',
        'outside',
        'run',
        'lone',
        '--image=nginx',
        '--labels=app=lone',
      ]);
      const [q] = await podsOf('outside', 'app=lone');
      expect(names(q.spec.containers)).toEqual(['lone']);
    });

    it('injects a pod labelled sidecar.istio.io/inject=true in an unlabelled namespace (the tag’s object webhook)', async () => {
      await f.ok([
        '-n',
        'outside',
        'run',
        'opted',
        '--image=nginx',
        '--labels=app=opted,sidecar.istio.io/inject=true',
      ]);
      const [p] = await podsOf('outside', 'app=opted');
      expect(names(p.spec.containers)).toEqual(['opted', 'istio-proxy']);
    });

    it('stops injecting istio-injection=enabled namespaces once the tag is removed', async () => {
      // the revisioned webhooks never select istio-injection=enabled namespaces
      await f.ok([
        'delete',
        'mutatingwebhookconfiguration',
        'istio-revision-tag-default',
      ]);
      await f.ok([
        '-n',
        'shop',
        'run',
        'later',
        '--image=nginx',
        '--labels=app=later',
      ]);
      const [p] = await podsOf('shop', 'app=later');
      expect(names(p.spec.containers)).toEqual(['later']);
      await apply(path.join(ISTIO, 'revision-tag-default.yaml'));
    });

    it('rejects pod creation as the API server does when a Fail webhook’s service is gone', async () => {
      await f.ok(['-n', 'istio-system', 'delete', 'service', 'istiod-1-30-3']);
      const r = await f.kubectl([
        '-n',
        'canary',
        'run',
        'orphan',
        '--image=nginx',
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        'failed calling webhook "rev.namespace.sidecar-injector.istio.io"',
      );
      expect(r.stderr).toContain('service "istiod-1-30-3" not found');
      await apply(path.join(ISTIO, 'istiod-1-30-3.yaml'));
    });
  });

  describe('Linkerd edge-26.8.3', () => {
    beforeAll(async () => {
      await f.ok(['create', 'ns', 'linkerd']);
      await apply(path.join(LINKERD, 'crds.yaml'));
      await apply(path.join(LINKERD, 'control-plane.yaml'));
    });

    it('injects linkerd-proxy with the control plane’s proxy version into an annotated namespace', async () => {
      await f.ok(['create', 'ns', 'books']);
      await f.ok(['annotate', 'ns', 'books', 'linkerd.io/inject=enabled']);
      await f.ok([
        '-n',
        'books',
        'create',
        'deploy',
        'reader',
        '--image=nginx',
      ]);
      const [p] = await podsOf('books', 'app=reader');
      expect(names(p.spec.containers)).toEqual(['linkerd-proxy', 'nginx']);
      expect(p.spec.containers[0].image).toBe(
        'cr.l5d.io/linkerd/proxy:edge-26.8.3',
      );
      // edge releases ship no proxyInit image: linkerd-init runs from the proxy image
      expect(p.spec.initContainers?.map(c => c.image)).toEqual([
        'cr.l5d.io/linkerd/proxy:edge-26.8.3',
      ]);
      expect(p.metadata.annotations).toMatchObject({
        'linkerd.io/proxy-version': 'edge-26.8.3',
        'linkerd.io/created-by': 'linkerd/proxy-injector edge-26.8.3',
        // sha256 of the (empty) identityTrustAnchorsPEM in linkerd-config
        'linkerd.io/trust-root-sha256':
          'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      });
      expect(p.metadata.labels).toMatchObject({
        'linkerd.io/control-plane-ns': 'linkerd',
        'linkerd.io/proxy-deployment': 'reader',
      });
    });

    it('honours the linkerd.io/inject: disabled opt-out', async () => {
      await f.ok([
        '-n',
        'books',
        'run',
        'solo',
        '--image=nginx',
        '--labels=app=solo',
        '--annotations=linkerd.io/inject=disabled',
      ]);
      const [p] = await podsOf('books', 'app=solo');
      expect(names(p.spec.containers)).toEqual(['solo']);
    });

    it('never injects kube-system (excluded by the webhook’s namespaceSelector)', async () => {
      await f.ok([
        'annotate',
        'ns',
        'kube-system',
        'linkerd.io/inject=enabled',
      ]);
      await f.ok([
        '-n',
        'kube-system',
        'run',
        'sys',
        '--image=nginx',
        '--labels=app=sys',
      ]);
      const [p] = await podsOf('kube-system', 'app=sys');
      expect(names(p.spec.containers)).toEqual(['sys']);
      expect(p.metadata.annotations?.['linkerd.io/proxy-version']).toBe(
        undefined,
      );
    });
  });
});
