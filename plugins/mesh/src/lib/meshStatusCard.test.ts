import type {
  EntityFindings,
  EntityMeshStatus,
  MeshPodStatus,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import { summarizeMeshStatusCard } from './meshStatusCard';

const pod = (
  name: string,
  namespace: string,
  mesh?: string,
): MeshPodStatus => ({
  name,
  namespace,
  phase: 'Running',
  ready: true,
  mesh,
  containers: [],
});

const status: EntityMeshStatus = {
  entityRef: 'component:default/reviews',
  desiredMesh: 'istio',
  labelSelector: 'app=reviews',
  clusters: [
    {
      cluster: 'dev',
      meshedPods: 3,
      pods: [
        pod('a', 'shop', 'istio'),
        pod('b', 'shop', 'istio'),
        pod('c', 'shop', 'istio'),
        pod('d', 'shop'),
      ],
    },
    { cluster: 'prod', meshedPods: 0, pods: [] },
  ],
};

const plane = (
  cluster: string,
  mesh: string,
  extra: Partial<MeshStatus> = {},
): MeshStatus => ({
  cluster,
  mesh,
  installed: true,
  versions: [],
  revisions: [],
  components: [],
  namespaces: [],
  ...extra,
});

const conflict = {
  type: 'namespace-multiple-injectors' as const,
  namespace: 'shop',
  meshes: ['istio', 'linkerd'],
  message: 'Namespace shop is enabled for injection by istio and linkerd',
};

const planes: MeshStatus[] = [
  plane('dev', 'istio', {
    versions: ['1.24.2', '1.23.1'],
    mtls: { mode: 'STRICT', source: 'PeerAuthentication istio-system/default' },
    conflicts: [conflict],
  }),
  // The same conflict as linkerd sees it: counted once.
  plane('dev', 'linkerd', {
    versions: ['stable-2.14.10'],
    conflicts: [conflict],
  }),
  // A cluster without the entity's pods does not count.
  plane('prod', 'istio', {
    versions: ['1.22.0'],
    mtls: { mode: 'PERMISSIVE', source: 'default' },
    conflicts: [{ ...conflict, namespace: 'other' }],
  }),
];

describe('summarizeMeshStatusCard', () => {
  it('summarises coverage, control plane, mTLS and conflicts where the pods run', () => {
    expect(summarizeMeshStatusCard(status, planes)).toEqual({
      expectedMesh: 'istio',
      pods: 4,
      meshedPods: 3,
      coverageText: '3 of 4 pods meshed',
      coverage: 'some',
      controlPlaneVersions: ['1.23.1', '1.24.2'],
      mtlsModes: ['STRICT'],
      conflicts: [conflict],
      errorFindings: undefined,
      neverScanned: false,
    });
  });

  it('counts open error findings, and knows when nothing was scanned', () => {
    const findings: EntityFindings = {
      entityRef: status.entityRef,
      clusters: [
        {
          cluster: 'dev',
          scan: null,
          findings: [],
        },
      ],
    };
    expect(summarizeMeshStatusCard(status, planes, findings)).toMatchObject({
      errorFindings: 0,
      neverScanned: true,
    });
    const scanned: EntityFindings = {
      entityRef: status.entityRef,
      clusters: [
        {
          cluster: 'dev',
          scan: {
            id: '6b8d0f2a-4c6e-4a1b-9d3f-5e7a9c1b3d5f',
            cluster: 'dev',
            trigger: 'schedule',
            status: 'succeeded',
            startedAt: '2026-12-01T10:00:00.000Z',
            finishedAt: '2026-12-01T10:00:01.000Z',
            previousScanId: null,
            meshes: [],
            summary: { error: 2, warning: 0, info: 0, suppressed: 1 },
            new: 0,
            fixed: 0,
          },
          findings: (['error', 'error', 'warning'] as const).map(
            (severity, i) => ({
              code: `MS010${i}`,
              severity,
              message: 'm',
              fingerprint: String(i),
              new: false,
              suppressed: i === 1,
            }),
          ),
        },
      ],
    };
    expect(summarizeMeshStatusCard(status, planes, scanned)).toMatchObject({
      errorFindings: 1,
      neverScanned: false,
    });
  });

  it('uses the meshes seen when none is expected, and handles no pods', () => {
    const noDesired = { ...status, desiredMesh: undefined };
    expect(summarizeMeshStatusCard(noDesired, planes)).toMatchObject({
      expectedMesh: undefined,
      controlPlaneVersions: ['1.23.1', '1.24.2'],
    });
    const empty: EntityMeshStatus = { ...status, clusters: [] };
    expect(summarizeMeshStatusCard(empty, planes)).toMatchObject({
      coverage: 'no-pods',
      coverageText: '0 of 0 pods meshed',
      controlPlaneVersions: [],
      conflicts: [],
    });
    const one: EntityMeshStatus = {
      ...status,
      clusters: [
        { cluster: 'dev', meshedPods: 1, pods: [pod('a', 'shop', 'istio')] },
      ],
    };
    expect(summarizeMeshStatusCard(one, planes)).toMatchObject({
      coverage: 'all',
      coverageText: '1 of 1 pod meshed',
    });
  });
});
