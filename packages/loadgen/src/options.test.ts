import { defaultEngine, normalizeOptions, OptionsError } from './options';

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

describe('request headers', () => {
  const withHeader = (name: string, value: string) =>
    normalizeOptions({
      targets: [{ url: 'http://localhost:1/', headers: { [name]: value } }],
    });

  it('refuses CR, LF and NUL in a value, naming the header', () => {
    expect(() => withHeader('X-Token', 'a\r\nX-Admin: 1')).toThrow(
      'invalid header "X-Token": the value contains a line break or NUL (CR, LF and NUL are refused)',
    );
    expect(() => withHeader('X-Token', 'a\nb')).toThrow(OptionsError);
    expect(() => withHeader('X-Token', 'a\u0000b')).toThrow(OptionsError);
  });

  it('refuses names that are not tokens, escaping them in the message', () => {
    expect(() => withHeader('X-A\r\nB', 'v')).toThrow(
      'invalid header "X-A\\r\\nB": the name is not an HTTP token',
    );
    expect(() => withHeader('Bad Name', 'v')).toThrow(/not an HTTP token/);
  });

  it('keeps ordinary headers', () => {
    expect(
      withHeader('Authorization', 'Bearer x y').targets[0].headers,
    ).toEqual({
      Authorization: 'Bearer x y',
    });
  });
});
