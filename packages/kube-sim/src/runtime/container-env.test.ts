import { resolvePins } from './cluster-dns';
import { containerEnv, expandVars, processEnv } from './container-env';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'run-abc',
    namespace: 'bench',
    uid: 'u1',
    labels: { app: 'lg' },
  },
  spec: { nodeName: 'kube-sim' },
  status: { podIP: '10.244.0.7' },
};

describe('container environment', () => {
  it('resolves env, envFrom, fieldRef and ConfigMap/Secret keys, and $(VAR) references', () => {
    const objects: Record<string, object> = {
      'configmaps/cfg': { data: { TARGET: 'http://echo:8080/', MODE: 'fast' } },
      'secrets/sec': {
        data: { TOKEN: Buffer.from('s3cret').toString('base64') },
      },
    };
    const lookup = (kind: string, name: string) => objects[`${kind}/${name}`];
    const env = containerEnv(
      pod,
      {
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
        env: [
          {
            name: 'POD',
            valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
          },
          {
            name: 'IP',
            valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
          },
          {
            name: 'APP',
            valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } },
          },
          {
            name: 'TOKEN',
            valueFrom: { secretKeyRef: { name: 'sec', key: 'TOKEN' } },
          },
          { name: 'URL', value: '$(CFG_TARGET)?pod=$(POD)&x=$$(POD)' },
          {
            name: 'MISSING',
            valueFrom: { configMapKeyRef: { name: 'nope', key: 'x' } },
          },
        ],
      },
      lookup as any,
    );
    expect(env).toEqual({
      CFG_TARGET: 'http://echo:8080/',
      CFG_MODE: 'fast',
      POD: 'run-abc',
      IP: '10.244.0.7',
      APP: 'lg',
      TOKEN: 's3cret',
      URL: 'http://echo:8080/?pod=run-abc&x=$(POD)',
    });
    expect(expandVars('$(NOPE) $(POD)', { POD: 'p' })).toBe('$(NOPE) p');
  });

  it("adds kube-sim's ports and pins over the container's own, and keeps little of kube-sim's environment", () => {
    const env = processEnv(
      { PATH: '/bin', HOME: '/h', SECRET_OF_KUBE_SIM: 'x' },
      { IMAGE: '1' },
      { PORT: '8080', OWN: 'y' },
      pod,
      {
        ports: [
          [8080, 41234],
          [9090, 41235],
        ],
        resolve: ['echo:8080:127.0.0.1:5'],
      },
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/h',
      IMAGE: '1',
      OWN: 'y',
      PORT: '41234',
      KUBE_SIM_PORT_MAP: '8080=41234,9090=41235',
      HOST: '127.0.0.1',
      HOSTNAME: 'run-abc',
      KUBE_SIM_POD: 'bench/run-abc',
      MESHPERF_RESOLVE: 'echo:8080:127.0.0.1:5',
    });
  });
});

describe('cluster DNS pins', () => {
  it('pins every name form and the ClusterIP; the short name only within the namespace', () => {
    const ports = [
      {
        namespace: 'bench',
        service: 'echo',
        clusterIP: '10.96.0.20',
        port: 8080,
        address: '127.0.0.1',
        proxyPort: 41000,
      },
    ];
    expect(resolvePins(ports, 'bench')).toEqual([
      'echo:8080:127.0.0.1:41000',
      'echo.bench:8080:127.0.0.1:41000',
      'echo.bench.svc:8080:127.0.0.1:41000',
      'echo.bench.svc.cluster.local:8080:127.0.0.1:41000',
      '10.96.0.20:8080:127.0.0.1:41000',
    ]);
    expect(resolvePins(ports, 'other')[0]).toBe(
      'echo.bench:8080:127.0.0.1:41000',
    );
  });
});
