import { checkInlineSettings, DEFAULT_INLINE_NAME } from './inlineSettings';

describe('checkInlineSettings', () => {
  it('accepts http(s) URLs and gRPC host:port, and names a nameless profile', () => {
    expect(
      checkInlineSettings({
        endpoints: [{ url: 'http://echo.echo.svc:8080/' }],
      }),
    ).toEqual({
      name: DEFAULT_INLINE_NAME,
      endpoints: [{ url: 'http://echo.echo.svc:8080/' }],
    });
    expect(
      checkInlineSettings({
        name: 'grpc',
        protocol: 'grpc',
        endpoints: [{ url: 'echo.echo.svc:9090' }],
      }).name,
    ).toBe('grpc');
  });

  it('names the field of what a dry run can tell is wrong', () => {
    expect(() => checkInlineSettings({ endpoints: [] })).toThrow(
      "Invalid input 'settings.endpoints': give at least one endpoint",
    );
    expect(() =>
      checkInlineSettings({
        endpoints: [{ url: 'http://a/' }, { url: 'ftp://b/' }],
      }),
    ).toThrow(
      "Invalid input 'settings.endpoints.1.url': 'ftp://b/' is not an http:// or https:// URL",
    );
    expect(() =>
      checkInlineSettings({
        endpoints: [{ url: 'http://a/' }],
        duration: '5s',
        requestCount: 10,
      }),
    ).toThrow(
      "Invalid input 'settings.requestCount': give either duration or requestCount, not both",
    );
  });
});
