import {
  DEFAULT_ALLOWED_HOSTS,
  isHostAllowed,
  targetHost,
} from './hostAllowList';

describe('host allow-list', () => {
  it.each([
    ['http://127.0.0.1:8080/', '127.0.0.1'],
    ['https://Echo.Demo.svc.cluster.local/x', 'echo.demo.svc.cluster.local'],
    ['http://[::1]:80/', '::1'],
    ['echo.demo.svc:9090', 'echo.demo.svc'],
    ['grpc://localhost:50051', 'localhost'],
  ])('reads the host of %s', (url, host) => {
    expect(targetHost(url)).toBe(host);
  });

  it('rejects what is not a URL', () => {
    expect(targetHost('http://')).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['echo.demo.svc.cluster.local', true],
    ['echo.demo.svc', true],
    ['svc.cluster.local', false],
    ['example.com', false],
    ['evil-svc.cluster.local.example.com', false],
    ['10.0.0.1', false],
  ])('by default %s is allowed: %p', (host, allowed) => {
    expect(isHostAllowed(host, DEFAULT_ALLOWED_HOSTS)).toBe(allowed);
  });

  it('accepts * for any host', () => {
    expect(isHostAllowed('example.com', ['*'])).toBe(true);
  });
});
