import { lookupResolve, parseResolve, ResolveError } from './resolve';

describe('--resolve pins', () => {
  it('parses host:port:addr:port, the curl form without a target port, and comma lists', () => {
    const map = parseResolve([
      'echo.bench.svc.cluster.local:8080:127.0.0.1:41234, Echo:8080:127.0.0.1:41234',
      '10.96.0.12:80:[::1]',
    ]);
    expect(map).toEqual({
      'echo.bench.svc.cluster.local:8080': {
        address: '127.0.0.1',
        port: 41234,
      },
      'echo:8080': { address: '127.0.0.1', port: 41234 },
      '10.96.0.12:80': { address: '::1', port: 80 },
    });
  });

  it('finds the pin of a URL, filling in default ports', () => {
    const map = parseResolve([
      'a.example:80:127.0.0.1:1',
      'a.example:443:127.0.0.1:2',
    ]);
    expect(lookupResolve(map, 'A.example', '', 'http:')?.port).toBe(1);
    expect(lookupResolve(map, 'a.example', '', 'https:')?.port).toBe(2);
    expect(lookupResolve(map, 'a.example', '8080', 'http:')).toBeUndefined();
  });

  it.each([
    'echo:8080',
    'echo:8080:127.0.0.1:99999',
    'echo:x:127.0.0.1:1',
    ':80:1.2.3.4',
  ])('rejects %s with a one-line message', text => {
    expect(() => parseResolve([text])).toThrow(ResolveError);
  });
});
