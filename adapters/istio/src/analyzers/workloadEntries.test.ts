import { brief, run } from './__testUtils__/run';
import { meshNetworkNames, workloadEntriesAnalyzer } from './workloadEntries';

const vm = (labels: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-1, namespace: shop}
spec:
  address: 10.0.0.7
  labels: {${labels}}${extra}
---
`;
const serviceEntry = (app: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: legacy-db, namespace: shop}
spec:
  hosts: [db.legacy.internal]
  ports: [{number: 5432, name: tcp-postgres, protocol: TCP}]
  resolution: STATIC
  workloadSelector:
    labels: {app: ${app}}
`;

describe('MS0222 ServiceEntry workloadSelector matches nothing', () => {
  it('flags a ServiceEntry selecting no WorkloadEntry or pod of its namespace', () => {
    expect(
      brief(
        run(
          workloadEntriesAnalyzer,
          vm('app: legacy-db') + serviceEntry('legacy-dbb'),
        ),
      ),
    ).toEqual([
      {
        code: 'MS0222',
        istioCode: undefined,
        resource: 'ServiceEntry/shop/legacy-db',
        path: '/spec/workloadSelector/labels',
        line: 16,
      },
    ]);
  });

  it('is quiet when a WorkloadEntry matches, or when no workload is in view', () => {
    expect(
      run(
        workloadEntriesAnalyzer,
        vm('app: legacy-db') + serviceEntry('legacy-db'),
      ),
    ).toEqual([]);
    expect(run(workloadEntriesAnalyzer, serviceEntry('legacy-dbb'))).toEqual(
      [],
    );
    // Another namespace's WorkloadEntry does not serve it.
    expect(
      brief(
        run(
          workloadEntriesAnalyzer,
          vm('app: legacy-db').replace('namespace: shop', 'namespace: other') +
            serviceEntry('legacy-db'),
        ),
      ).map(f => f.code),
    ).toEqual(['MS0222']);
  });
});

describe('MS0223 WorkloadEntry reference not found', () => {
  const serviceAccount = (name: string) => `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}, namespace: shop}
---
`;
  const network = `apiVersion: v1
kind: Namespace
metadata:
  name: istio-system
  labels: {topology.istio.io/network: network1}
---
`;

  it('flags a missing ServiceAccount and an unknown network', () => {
    const findings = run(
      workloadEntriesAnalyzer,
      serviceAccount('legacy') +
        network +
        vm(
          'app: legacy-db',
          '\n  serviceAccount: legacy-db\n  network: network2',
        ),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0223',
        istioCode: undefined,
        resource: 'WorkloadEntry/shop/vm-1',
        path: '/spec/serviceAccount',
        line: 17,
      },
      {
        code: 'MS0223',
        istioCode: undefined,
        resource: 'WorkloadEntry/shop/vm-1',
        path: '/spec/network',
        line: 18,
      },
    ]);
  });

  it('is quiet when both exist, or when nothing in view defines them', () => {
    expect(
      run(
        workloadEntriesAnalyzer,
        serviceAccount('legacy-db') +
          network +
          vm(
            'app: legacy-db',
            '\n  serviceAccount: legacy-db\n  network: network1',
          ),
      ),
    ).toEqual([]);
    expect(
      run(
        workloadEntriesAnalyzer,
        vm(
          'app: legacy-db',
          '\n  serviceAccount: legacy-db\n  network: network2',
        ),
      ),
    ).toEqual([]);
  });

  it('knows the networks of meshNetworks', () => {
    const meshConfig = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  meshNetworks: |
    networks:
      network1:
        endpoints: [{fromRegistry: Kubernetes}]
        gateways: [{address: 1.2.3.4, port: 15443}]
      network2:
        endpoints: [{fromRegistry: vm}]
---
`;
    expect(
      run(
        workloadEntriesAnalyzer,
        meshConfig + vm('app: a', '\n  network: network2'),
      ),
    ).toEqual([]);
    expect(
      meshNetworkNames('networks:\n  a:\n    endpoints: []\n  b: {}\n'),
    ).toEqual(['a', 'b']);
  });
});
