import { createKubeConfig } from './createKubeConfig';

const base = {
  name: 'dev',
  url: 'https://dev.example.com:6443',
  authProvider: 'serviceAccount',
  serviceAccountToken: 'token-123',
  skipTLSVerify: false,
};

describe('createKubeConfig', () => {
  it('builds a KubeConfig for a service-account cluster', () => {
    const kc = createKubeConfig({ ...base, caData: 'Y2E=' });
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'dev',
      server: 'https://dev.example.com:6443',
      skipTLSVerify: false,
      caData: 'Y2E=',
    });
    expect(kc.getCurrentUser()?.token).toBe('token-123');
  });

  it('allows plain http only with skipTLSVerify, as client-node does', () => {
    expect(() =>
      createKubeConfig({ ...base, url: 'http://127.0.0.1:8080' }),
    ).toThrow(/only allows with skipTLSVerify: true/);
    expect(
      createKubeConfig({
        ...base,
        url: 'http://127.0.0.1:8080',
        skipTLSVerify: true,
      }).getCurrentCluster()?.server,
    ).toBe('http://127.0.0.1:8080');
  });

  it('reports other auth providers as unsupported', () => {
    expect(() => createKubeConfig({ ...base, authProvider: 'aws' })).toThrow(
      "authProvider 'aws' is not supported by MeshStage yet",
    );
    expect(() =>
      createKubeConfig({ ...base, authProvider: undefined }),
    ).toThrow(/no authProvider configured/);
  });

  it('needs a token outside a cluster', () => {
    expect(() =>
      createKubeConfig(
        { ...base, serviceAccountToken: undefined },
        { inClusterTokenFile: '/nonexistent/token' },
      ),
    ).toThrow(/needs serviceAccountToken/);
  });

  it('uses the pod token file inside a cluster', () => {
    const kc = createKubeConfig(
      { ...base, serviceAccountToken: undefined },
      { inClusterTokenFile: __filename },
    );
    expect(kc.getCurrentUser()?.authProvider).toEqual({
      name: 'tokenFile',
      config: { tokenFile: __filename },
    });
  });

  it('rejects malformed URLs', () => {
    expect(() => createKubeConfig({ ...base, url: 'not a url' })).toThrow(
      /not a valid URL/,
    );
    expect(() => createKubeConfig({ ...base, url: 'ftp://x' })).toThrow(/http/);
  });
});
