import { ConfigReader } from '@backstage/config';
import { readClusterConfig } from './readClusterConfig';

describe('readClusterConfig', () => {
  it('reads the clusters of config locators, as the Kubernetes plugin does', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          {
            type: 'config',
            clusters: [
              {
                name: 'dev',
                url: 'http://127.0.0.1:6443',
                authProvider: 'serviceAccount',
                serviceAccountToken: 'secret',
                skipTLSVerify: true,
              },
              {
                name: 'prod',
                title: 'Production',
                url: 'https://prod.example.com',
                authMetadata: { 'kubernetes.io/auth-provider': 'aws' },
                caData: 'LS0t',
              },
            ],
          },
        ],
      },
    });
    expect(readClusterConfig(config)).toEqual({
      clusters: [
        {
          name: 'dev',
          url: 'http://127.0.0.1:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'secret',
          skipTLSVerify: true,
        },
        {
          name: 'prod',
          title: 'Production',
          url: 'https://prod.example.com',
          authProvider: 'aws',
          skipTLSVerify: false,
          caData: 'LS0t',
        },
      ],
      skippedLocators: ['catalog'],
    });
  });

  it('has no clusters without Kubernetes config', () => {
    expect(readClusterConfig(new ConfigReader({}))).toEqual({
      clusters: [],
      skippedLocators: [],
    });
  });

  it('rejects duplicate cluster names', () => {
    const cluster = {
      name: 'dev',
      url: 'https://a',
      authProvider: 'serviceAccount',
    };
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [cluster] },
          { type: 'config', clusters: [cluster] },
        ],
      },
    });
    expect(() => readClusterConfig(config)).toThrow(
      "Duplicate cluster name 'dev'",
    );
  });
});
