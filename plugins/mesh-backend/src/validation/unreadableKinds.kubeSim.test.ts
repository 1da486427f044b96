import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import type { EntityFindings, Finding } from '@meshstage/plugin-mesh-common';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import { objectIdentity } from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { runOperation } from '../__testUtils__/runOperation';

// A platform team may give MeshStage a read-only role without some kinds. A scan of such a cluster
// (kube-sim answering 403 to lists of ClusterRoles) still succeeds with every other finding, says
// which kind it could not read, and the checks that read that kind (MS0329's ClusterRoles) are
// skipped rather than run on an empty list. Other failures still fail the scan. An entity's
// Validation tab learns from its findings route which checks the latest scan skipped, so that
// "no findings" does not read as "checked".

const ROOT = path.resolve(__dirname, '../../../..');
const BROKEN = path.join(ROOT, 'examples/broken');

jest.setTimeout(180_000);

const FORBIDDEN_MESSAGE =
  'clusterroles.rbac.authorization.k8s.io is forbidden: User "kube-sim-admin" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" (injected by kube-sim --faults)';

const productpage: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop-productpage',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-label-selector': 'app=productpage',
      'backstage.io/kubernetes-namespace': 'shop',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

/** What one finding is: code, object, pointer and message. */
const describeFinding = (f: Finding) =>
  `${f.code} ${f.resource ? objectIdentity(f.resource) : '-'} ${f.path ?? ''} ${
    f.message
  }`;

describe('a scan of a cluster that refuses to list some kinds', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;

  beforeAll(async () => {
    sim = await startKubeSim({
      seed: [
        path.join(__dirname, '__fixtures__/crds.yaml'),
        path.join(ROOT, 'examples/cluster'),
        ...[
          '00-namespaces.yaml',
          '10-istio-system.yaml',
          '20-shop.yaml',
          '30-payments.yaml',
        ].map(f => path.join(BROKEN, f)),
      ],
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        linkerdModule,
        catalogServiceMock.factory({ entities: [productpage] }),
        // No scheduled scan: only the test's own scans run.
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
            ]),
            mesh: {
              clusterTimeout: { seconds: 20 },
              clusterRetry: { attempts: 2 },
              charts: { source: 'builtin' },
            },
          },
        }),
      ],
    });
    // A Linkerd control plane as MeshStage installs it, then two of the objects linkerd check
    // expects removed: a ServiceAccount (a kind MeshStage may list) and a ClusterRole (one it
    // will be refused).
    const op = await runOperation(backend.server, {
      action: 'install',
      mesh: 'linkerd',
      cluster: 'dev',
      version: 'stable-2.14.10',
    });
    if (op.state !== 'succeeded') {
      throw new Error(`Linkerd install ${op.state}: ${op.error}`);
    }
    for (const p of [
      '/api/v1/namespaces/linkerd/serviceaccounts/linkerd-identity',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/linkerd-linkerd-proxy-injector',
    ]) {
      const res = await fetch(`${sim.url}${p}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${sim.token}` },
      });
      if (res.status !== 200) throw new Error(`DELETE ${p}: ${res.status}`);
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  const api = () => request(backend.server);

  async function scan(cluster: string) {
    const res = await api()
      .post('/api/mesh/validation/scans')
      .send({ cluster });
    expect(res.status).toBe(201);
    const detail = await api().get(`/api/mesh/validation/scans/${res.body.id}`);
    return {
      scan: detail.body.scan,
      findings: detail.body.findings as Finding[],
    };
  }

  it('succeeds with an MS0005 finding naming the kind, the other findings, and no MS0329 false positive', async () => {
    sim.faults.set(
      'forbidden403=1,verbs=list,watch,resources=clusterroles.rbac.authorization.k8s.io',
    );
    const refused = await scan('dev');
    expect([refused.scan.status, refused.scan.error]).toEqual([
      'succeeded',
      undefined,
    ]);
    const notice = refused.findings.filter(f => f.code === 'MS0005');
    expect(notice.map(f => [f.severity, f.message, f.resource])).toEqual([
      [
        'warning',
        `MeshStage may not list ClusterRole objects (rbac.authorization.k8s.io/v1) on this cluster, so the checks that read them (MS0329) were skipped: ${FORBIDDEN_MESSAGE}`,
        undefined,
      ],
    ]);
    expect(refused.scan.summary.warning).toBeGreaterThanOrEqual(1);
    // kube-sim refused the lists the scan made, and nothing else.
    expect(sim.faults.injected.length).toBeGreaterThanOrEqual(1);
    expect(
      new Set(sim.faults.injected.map(f => `${f.status} ${f.resource}`)),
    ).toEqual(new Set(['403 clusterroles']));

    // MS0329 still makes the checks it can: the missing ServiceAccount is reported, the
    // ClusterRoles are not judged (the one deleted, and every other, would look missing).
    const linkerdCheck = refused.findings
      .filter(f => f.code === 'MS0329')
      .map(f => f.message);
    expect(linkerdCheck).toEqual([
      'linkerd check: control plane ServiceAccounts exist: missing ServiceAccounts: linkerd-identity (control plane in namespace "linkerd").',
    ]);

    // The same cluster allowed (scans read the cluster directly, not a watched view): the same
    // findings, except the notice, plus the ClusterRole that is really missing.
    sim.faults.clear();
    const allowed = await scan('dev');
    expect(allowed.scan.status).toBe('succeeded');
    expect(allowed.findings.some(f => f.code === 'MS0005')).toBe(false);
    const missingClusterRole =
      'linkerd check: control plane ClusterRoles exist: missing ClusterRoles: linkerd-linkerd-proxy-injector (control plane in namespace "linkerd").';
    expect(
      allowed.findings
        .filter(f => f.code === 'MS0329')
        .map(f => f.message)
        .sort(),
    ).toEqual([missingClusterRole, ...linkerdCheck].sort());
    expect(allowed.findings.length).toBeGreaterThan(5);
    expect(
      allowed.findings
        .filter(f => f.message !== missingClusterRole)
        .map(describeFinding)
        .sort(),
    ).toEqual(
      refused.findings
        .filter(f => f.code !== 'MS0005')
        .map(describeFinding)
        .sort(),
    );
  });

  it('still fails on another error: a 500 on the same list, after its retries', async () => {
    sim.faults.set(
      'error500=1,verbs=list,watch,resources=clusterroles.rbac.authorization.k8s.io',
    );
    try {
      const failed = await scan('dev');
      expect(failed.scan.status).toBe('failed');
      expect(failed.scan.error).toMatch(
        /clusterroles failed with HTTP 500: Internal error occurred: injected by kube-sim --faults \(after 2 attempts\)/,
      );
      expect(failed.findings).toEqual([]);
    } finally {
      sim.faults.clear();
    }
  });

  it("gives an entity's findings the checks its cluster's latest scan skipped, and nothing once none was", async () => {
    const entityFindings = async (): Promise<EntityFindings> => {
      const res = await api().get(
        '/api/mesh/entity/component/default/shop-productpage/findings',
      );
      expect(res.status).toBe(200);
      return res.body;
    };
    // The rule the brief's service team would miss: every AuthorizationPolicy check. Refused to
    // the scan only: the entity's route reads AuthorizationPolicies too (to relate them to its
    // pods), and what it shows is the stored scan's.
    sim.faults.set(
      'forbidden403=1,verbs=list,resources=authorizationpolicies.security.istio.io',
    );
    let refused: Awaited<ReturnType<typeof scan>>;
    try {
      refused = await scan('dev');
    } finally {
      sim.faults.clear();
    }
    expect(refused.scan.status).toBe('succeeded');
    const notices = refused.findings.filter(f => f.code === 'MS0005');
    expect(notices.map(f => f.message)).toEqual([
      expect.stringMatching(
        /^MeshStage may not list AuthorizationPolicy objects \(security\.istio\.io\/v1\) on this cluster, so the checks that read them \(MS\d{4}(, MS\d{4})*\) were skipped: .*forbidden/,
      ),
    ]);

    const withGap = await entityFindings();
    expect(withGap.clusters).toHaveLength(1);
    const [dev] = withGap.clusters;
    expect(dev.scan?.id).toBe(refused.scan.id);
    // The notice itself is on no object of the entity, so it is not among its findings.
    expect(dev.findings.some(f => f.code === 'MS0005')).toBe(false);
    expect(dev.skipped).toEqual(notices);
    expect(withGap.codes?.map(c => c.code)).toContain('MS0005');

    const allowed = await scan('dev');
    expect(allowed.findings.some(f => f.code === 'MS0005')).toBe(false);
    const complete = await entityFindings();
    expect(complete.clusters[0].scan?.id).toBe(allowed.scan.id);
    expect(complete.clusters[0]).not.toHaveProperty('skipped');
    expect(complete.codes?.map(c => c.code)).not.toContain('MS0005');
  });
});
