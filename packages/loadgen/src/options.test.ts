import { defaultEngine, normalizeOptions } from './options';

describe('defaultEngine', () => {
  const url = (...urls: string[]) => urls.map(u => ({ url: u }));

  it('picks net for plain http:// HTTP/1.1 targets', () => {
    expect(defaultEngine({ targets: url('http://h/') })).toBe('net');
    expect(
      defaultEngine({ targets: url('http://a:8080/x', 'http://[::1]/') }),
    ).toBe('net');
  });

  it('picks undici for what net does not speak: TLS, HTTP/2, gRPC', () => {
    expect(defaultEngine({ targets: url('https://h/') })).toBe('undici');
    expect(defaultEngine({ targets: url('http://a/', 'https://b/') })).toBe(
      'undici',
    );
    expect(defaultEngine({ targets: url('http://h/'), http2: true })).toBe(
      'undici',
    );
    expect(defaultEngine({ targets: url('h:50051'), grpc: {} })).toBe('undici');
  });

  it('leaves odd input to undici, whose validation reports it', () => {
    expect(defaultEngine({ targets: url('not a url') })).toBe('undici');
    expect(defaultEngine({ targets: [] })).toBe('undici');
  });

  it('is always accepted by normalizeOptions', () => {
    for (const o of [
      { targets: url('http://h/') },
      { targets: url('https://h/') },
      { targets: url('http://h/'), http2: true },
    ]) {
      expect(normalizeOptions({ ...o, engine: defaultEngine(o) }).engine).toBe(
        defaultEngine(o),
      );
    }
  });
});

describe('normalizeOptions engine', () => {
  it('keeps undici as the library default (the CLI chooses its own)', () => {
    expect(normalizeOptions({ targets: [{ url: 'http://h/' }] }).engine).toBe(
      'undici',
    );
  });
});
