import { comparisonCaveats, simulatedProxiesOf } from './caveats';

const env = (runner: string, extra = {}) => ({
  runner,
  loadgenVersion: '0.1.0',
  nodeVersion: 'v22',
  hostname: 'h',
  threads: 1,
  ...extra,
});

describe('simulatedProxiesOf', () => {
  const node = (runtime?: string) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'kube-sim' },
    status: { nodeInfo: { containerRuntimeVersion: runtime } },
  });

  it('recognises kube-sim nodes by their container runtime', () => {
    expect(simulatedProxiesOf('dev', [node('kube-sim://simulated')])).toEqual({
      cluster: 'dev',
      reason: expect.stringContaining('kube-sim://simulated'),
    });
  });

  it('says nothing about real runtimes or missing node info', () => {
    expect(
      simulatedProxiesOf('prod', [node('containerd://1.7.2'), node()]),
    ).toBeUndefined();
    expect(simulatedProxiesOf('prod', [])).toBeUndefined();
  });
});

describe('comparisonCaveats', () => {
  it('is empty for comparable runs', () => {
    expect(
      comparisonCaveats([
        {
          id: 'a',
          mesh: 'istio',
          targets: ['http://echo.echo.svc.cluster.local:8080/'],
          environment: env('in-cluster'),
        },
        {
          id: 'b',
          targets: ['http://echo.echo.svc.cluster.local:8080/'],
          environment: env('in-cluster'),
        },
      ]),
    ).toEqual([]);
  });

  it('names simulated proxies, loopback targets and mixed runners', () => {
    const caveats = comparisonCaveats([
      {
        id: 'a',
        mesh: 'linkerd',
        targets: ['http://echo.echo.svc.cluster.local:8080/'],
        environment: env('in-cluster', {
          simulatedProxies: { cluster: 'dev', reason: 'kube-sim' },
        }),
      },
      {
        id: 'b',
        mesh: 'linkerd',
        targets: ['http://127.0.0.1:44569/'],
        environment: env('in-process'),
      },
    ]);
    expect(caveats).toEqual([
      expect.stringMatching(
        /cluster dev are simulated \(runs a\).*not mesh overhead/,
      ),
      expect.stringMatching(/Runs b \(linkerd\).*loopback/),
      expect.stringMatching(/different places \(in-cluster and in-process\)/),
    ]);
  });
});
