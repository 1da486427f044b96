import { existsSync } from 'node:fs';
import path from 'node:path';
import { kubectlFixture, KubectlFixture } from '../__testUtils__/kubectl';

// The vendors' CRDs (large structural schemas with oneOf/not value validations and CEL
// x-kubernetes-validations) applied with real kubectl, then custom resources validated against
// them as the API server validates them. Test data lives outside the repository.
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
    `kubectl-vendor-crds: skipped, no vendor manifests at ${VENDOR}`,
  );
const describeVendor = present ? describe : describe.skip;

jest.setTimeout(300_000);

describeVendor(
  'the vendors’ CRDs and webhook configurations, through kubectl',
  () => {
    let f: KubectlFixture;
    beforeAll(async () => {
      f = await kubectlFixture();
      await f.ok(['create', 'ns', 'istio-system']);
      await f.ok(['create', 'ns', 'linkerd']);
      await f.ok(['create', 'ns', 'demo']);
    });
    afterAll(() => f?.close());

    const apply = (yaml: string) =>
      f.kubectl(['apply', '--server-side', '-f', '-'], { input: yaml });

    it('serves them after a server-side apply', async () => {
      for (const file of [
        path.join(ISTIO, 'base.yaml'),
        path.join(ISTIO, 'istiod-1-30-3.yaml'),
        path.join(LINKERD, 'crds.yaml'),
        path.join(LINKERD, 'control-plane.yaml'),
      ]) {
        const out = await f.ok(['apply', '--server-side', '-f', file], {
          timeoutMs: 120_000,
        });
        expect(out).not.toMatch(/error/i);
      }
      const crds = (await f.ok(['get', 'crd', '-o', 'name']))
        .trim()
        .split('\n');
      expect(crds).toEqual(
        expect.arrayContaining([
          'customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io',
          'customresourcedefinition.apiextensions.k8s.io/trafficextensions.extensions.istio.io',
          'customresourcedefinition.apiextensions.k8s.io/servers.policy.linkerd.io',
        ]),
      );
      // the webhooks keep what was applied and gain the API's defaults
      const mwc = JSON.parse(
        await f.ok([
          'get',
          'mutatingwebhookconfiguration',
          'linkerd-proxy-injector-webhook-config',
          '-o',
          'json',
        ]),
      );
      expect(mwc.webhooks[0]).toMatchObject({
        name: 'linkerd-proxy-injector.linkerd.io',
        failurePolicy: 'Ignore',
        matchPolicy: 'Equivalent',
        timeoutSeconds: 10,
        reinvocationPolicy: 'Never',
        clientConfig: {
          service: {
            name: 'linkerd-proxy-injector',
            namespace: 'linkerd',
            port: 443,
          },
        },
      });
      const explain = await f.ok([
        'explain',
        'virtualservice.spec.http.timeout',
      ]);
      expect(explain).toContain('KIND:       VirtualService');
    });

    it('accepts valid resources and applies schema defaults', async () => {
      const ok = await apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: demo}
spec:
  hosts: [reviews]
  http:
  - match: [{uri: {prefix: /v1}}]
    timeout: 5s
    route: [{destination: {host: reviews, subset: v1}, weight: 100}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: demo}
spec:
  host: reviews
  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 5s}}, loadBalancer: {simple: ROUND_ROBIN}}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: web, namespace: demo}
spec:
  podSelector: {matchLabels: {app: web}}
  port: http
`);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      const server = JSON.parse(
        await f.ok(['-n', 'demo', 'get', 'server', 'web', '-o', 'json']),
      );
      expect(server.spec).toMatchObject({
        proxyProtocol: 'unknown',
        accessPolicy: 'deny',
      });
    });

    it('rejects what the vendor schemas reject', async () => {
      const reject = async (yaml: string) => {
        const r = await apply(yaml);
        expect(r.code).not.toBe(0);
        return r.stderr;
      };
      // unknown field, under kubectl's default fieldValidation=Strict
      expect(
        await reject(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bad1, namespace: demo}
spec: {hosts: [a], bogus: 1}
`),
      ).toContain('unknown field "spec.bogus"');
      // enum
      expect(
        await reject(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: bad2, namespace: demo}
spec: {host: x, trafficPolicy: {loadBalancer: {simple: NOPE}}}
`),
      ).toContain(
        'spec.trafficPolicy.loadBalancer.simple: Unsupported value: "NOPE"',
      );
      // oneOf: a StringMatch is exact, prefix or regex
      expect(
        await reject(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bad3, namespace: demo}
spec:
  hosts: [a]
  http: [{match: [{uri: {exact: /a, prefix: /b}}], route: [{destination: {host: a}}]}]
`),
      ).toContain('must validate one and only one schema (oneOf)');
      // CEL rules (x-kubernetes-validations)
      expect(
        await reject(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: bad4, namespace: demo}
spec: {host: x, trafficPolicy: {connectionPool: {tcp: {connectTimeout: 0s}}}}
`),
      ).toContain(
        'spec.trafficPolicy.connectionPool.tcp.connectTimeout: Invalid value: "string": must be a valid duration greater than 1ms',
      );
      expect(
        await reject(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: bad5, namespace: demo}
spec:
  selector: {matchLabels: {app: x}}
  targetRefs: [{kind: Service, group: "", name: x}]
`),
      ).toContain('only one of targetRefs or selector can be set');
      // required
      expect(
        await reject(`apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: bad6, namespace: demo}
spec: {podSelector: {matchLabels: {app: x}}}
`),
      ).toContain('spec.port: Required value');
    });

    it('validates webhook configurations as the API server does', async () => {
      const r = await apply(`apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: broken}
webhooks:
- name: two.segments
  clientConfig: {service: {name: s, namespace: demo, path: /m}}
  rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}]
  admissionReviewVersions: [v1]
  namespaceSelector: {matchExpressions: [{key: a, operator: In}]}
`);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        'webhooks[0].name: Invalid value: "two.segments"',
      );
      expect(r.stderr).toContain('webhooks[0].sideEffects: Required value');
      expect(r.stderr).toContain(
        'webhooks[0].namespaceSelector.matchExpressions[0].values: Required value',
      );
    });
  },
);
