import { ConfigReader } from '@backstage/config';
import { readPrometheusTrafficConfig } from './config';

/** A config value, as ConfigReader takes it. */
type ConfigValue = NonNullable<
  ConstructorParameters<typeof ConfigReader>[0]
>[string];

function read(prometheus: ConfigValue) {
  return readPrometheusTrafficConfig(
    new ConfigReader({ mesh: { metrics: { prometheus } } }),
  );
}

describe('readPrometheusTrafficConfig', () => {
  it('is undefined without mesh.metrics.prometheus', () => {
    expect(readPrometheusTrafficConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readPrometheusTrafficConfig(new ConfigReader({ mesh: { metrics: {} } })),
    ).toBeUndefined();
  });

  it('applies the defaults', () => {
    expect(read({ url: 'http://prometheus.monitoring:9090/' })).toEqual({
      url: 'http://prometheus.monitoring:9090',
      timeoutMs: 5000,
      window: '5m',
      headers: {},
    });
  });

  it('reads every key', () => {
    expect(
      read({
        url: 'https://mimir.example.com/prometheus',
        timeout: '30s',
        window: '1h30m',
        username: 'portal',
        password: 's3cret',
        headers: { 'X-Scope-OrgID': 'tenant-a' },
        clusterLabel: 'cluster',
        clusters: ['east', 'west'],
      }),
    ).toEqual({
      url: 'https://mimir.example.com/prometheus',
      timeoutMs: 30000,
      window: '1h30m',
      username: 'portal',
      password: 's3cret',
      headers: { 'X-Scope-OrgID': 'tenant-a' },
      clusterLabel: 'cluster',
      clusters: ['east', 'west'],
    });
  });

  it.each([
    [2500, 2500],
    ['PT2S', 2000],
    [{ seconds: 3 }, 3000],
  ])('reads the timeout %j as %d ms', (timeout, ms) => {
    expect(read({ url: 'http://p:9090', timeout })?.timeoutMs).toBe(ms);
  });

  it('keeps a bearer token', () => {
    expect(read({ url: 'http://p:9090', bearerToken: 'tok' })).toMatchObject({
      bearerToken: 'tok',
    });
  });

  it.each([
    [{}, /mesh\.metrics\.prometheus\.url/],
    [
      { url: 'not a url' },
      /mesh\.metrics\.prometheus\.url must be an http\(s\) URL/,
    ],
    [
      { url: 'ftp://p' },
      /mesh\.metrics\.prometheus\.url must be an http\(s\) URL/,
    ],
    [
      { url: 'http://p:9090?x=1' },
      /mesh\.metrics\.prometheus\.url must be the server's base URL/,
    ],
    [
      { url: 'http://p:9090', timeout: 0 },
      /mesh\.metrics\.prometheus\.timeout/,
    ],
    [
      { url: 'http://p:9090', timeout: 'soon' },
      /mesh\.metrics\.prometheus\.timeout/,
    ],
    [
      { url: 'http://p:9090', window: '5 minutes' },
      /mesh\.metrics\.prometheus\.window must be a Prometheus duration/,
    ],
    [
      { url: 'http://p:9090', window: '0s' },
      /mesh\.metrics\.prometheus\.window/,
    ],
    [
      { url: 'http://p:9090', bearerToken: 't', username: 'u', password: 'p' },
      /mesh\.metrics\.prometheus: set either bearerToken or username\/password/,
    ],
    [
      { url: 'http://p:9090', username: 'u' },
      /mesh\.metrics\.prometheus\.password is required/,
    ],
    [
      { url: 'http://p:9090', password: 'p' },
      /mesh\.metrics\.prometheus\.username is required/,
    ],
    [
      { url: 'http://p:9090', clusterLabel: 'k8s-cluster' },
      /mesh\.metrics\.prometheus\.clusterLabel must be a Prometheus label name/,
    ],
    [
      { url: 'http://p:9090', clusters: [] },
      /mesh\.metrics\.prometheus\.clusters/,
    ],
    [
      { url: 'http://p:9090', headers: { 'Bad Header': 'x' } },
      /mesh\.metrics\.prometheus\.headers has an invalid header name 'Bad Header'/,
    ],
  ])('rejects %j naming the key', (prometheus, message) => {
    expect(() => read(prometheus)).toThrow(message);
  });

  it('rejects credentials in the URL without repeating them', () => {
    let message = '';
    try {
      read({ url: 'http://admin:hunter2@p:9090' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /mesh\.metrics\.prometheus\.url must not hold credentials/,
    );
    expect(message).not.toContain('hunter2');
  });
});
