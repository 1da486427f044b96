import { Http1ResponseParser, MAX_HEADER_BYTES } from './http1Parser';

interface Parsed {
  status: number;
  headerBytes: number;
  bodyBytes: number;
  keepAlive: boolean;
}

/** A parser that records responses; `heads` says which responses answer HEAD. */
function parser(heads: boolean[] = []) {
  const responses: Parsed[] = [];
  let asked = 0;
  const p = new Http1ResponseParser({
    isHeadResponse: () => heads[asked++] ?? false,
    onResponse: (status, headerBytes, bodyBytes, keepAlive) =>
      responses.push({ status, headerBytes, bodyBytes, keepAlive }),
  });
  return { p, responses };
}

/** Parses `chunks` in order; returns responses, success and the finish() result. */
function parse(chunks: Buffer[], heads?: boolean[]) {
  const { p, responses } = parser(heads);
  let ok = true;
  for (const c of chunks) ok = p.execute(c) && ok;
  return { responses, ok, error: p.error, finished: p.finish() };
}

const bytes = (s: string) => Buffer.from(s, 'latin1');

/** Every way of cutting `input` into two pieces, and into single bytes. */
function splits(input: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (let k = 1; k < input.length; k++)
    out.push([input.subarray(0, k), input.subarray(k)]);
  out.push(Array.from(input, b => Buffer.from([b])));
  return out;
}

/** Parses whole, then split at every byte; all must agree. */
function parseEverySplit(input: string, heads?: boolean[]) {
  const buf = bytes(input);
  const whole = parse([buf], heads);
  for (const chunks of splits(buf)) {
    expect(parse(chunks, heads)).toEqual(whole);
  }
  return whole;
}

const SIMPLE = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

describe('Http1ResponseParser', () => {
  it('parses a Content-Length response and counts header and body bytes', () => {
    const r = parseEverySplit(SIMPLE);
    expect(r.ok).toBe(true);
    expect(r.finished).toBe(true);
    expect(r.responses).toEqual([
      {
        status: 200,
        headerBytes: SIMPLE.length - 5,
        bodyBytes: 5,
        keepAlive: true,
      },
    ]);
  });

  it('matches header names case-insensitively and trims values', () => {
    const input =
      'HTTP/1.1 201 Created\r\nx-a: 1\r\ncOnTeNt-LeNgTh:   3  \r\nCONNECTION: Keep-Alive\r\n\r\nabc';
    const r = parseEverySplit(input);
    expect(r.responses).toEqual([
      {
        status: 201,
        headerBytes: input.length - 3,
        bodyBytes: 3,
        keepAlive: true,
      },
    ]);
  });

  it('parses several pipelined responses in one chunk, in order', () => {
    const input = [
      SIMPLE,
      'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n',
      'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\nno',
      SIMPLE,
    ].join('');
    const r = parseEverySplit(input);
    expect(r.ok).toBe(true);
    expect(r.responses.map(x => x.status)).toEqual([200, 404, 500, 200]);
    const total = r.responses.reduce(
      (s, x) => s + x.headerBytes + x.bodyBytes,
      0,
    );
    expect(total).toBe(input.length);
  });

  it('parses chunked bodies with extensions and trailers', () => {
    const input = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      '5;name=value;x="q"\r\nhello\r\n',
      'A \r\n0123456789\r\n',
      '0\r\nX-Trailer: yes\r\nAnother: one\r\n\r\n',
      SIMPLE,
    ].join('');
    const r = parseEverySplit(input);
    expect(r.ok).toBe(true);
    expect(r.responses).toHaveLength(2);
    const [first] = r.responses;
    expect(first.status).toBe(200);
    expect(first.headerBytes).toBe(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'.length,
    );
    expect(first.headerBytes + first.bodyBytes).toBe(
      input.length - SIMPLE.length,
    );
  });

  it('treats chunked as final coding only, and lets it override Content-Length', () => {
    const r = parseEverySplit(
      'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    );
    expect(r.responses).toEqual([
      expect.objectContaining({ status: 200, keepAlive: true }),
    ]);
    expect(r.finished).toBe(true);
  });

  it('reads a body until close when there is no length, or a non-chunked coding', () => {
    for (const head of [
      'HTTP/1.1 200 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n',
    ]) {
      const { p, responses } = parser();
      expect(p.execute(bytes(`${head}some body`))).toBe(true);
      expect(responses).toEqual([]);
      expect(p.finish()).toBe(true);
      expect(responses).toEqual([
        {
          status: 200,
          headerBytes: head.length,
          bodyBytes: 9,
          keepAlive: false,
        },
      ]);
    }
  });

  it('has no body for HEAD, 204 and 304 whatever the headers say', () => {
    const input = [
      'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n', // answers HEAD
      'HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n',
      SIMPLE,
    ].join('');
    const r = parseEverySplit(input, [true, false, false, false]);
    expect(r.ok).toBe(true);
    expect(r.responses.map(x => [x.status, x.bodyBytes])).toEqual([
      [200, 0],
      [204, 0],
      [304, 0],
      [200, 5],
    ]);
  });

  it('skips 1xx interim responses, counting their bytes as header bytes', () => {
    const interim =
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n';
    const r = parseEverySplit(interim + SIMPLE);
    expect(r.responses).toEqual([
      {
        status: 200,
        headerBytes: interim.length + SIMPLE.length - 5,
        bodyBytes: 5,
        keepAlive: true,
      },
    ]);
  });

  it('reports Connection: close and ignores anything after that response', () => {
    const input =
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok' +
      'garbage';
    const r = parseEverySplit(input);
    expect(r.ok).toBe(true);
    expect(r.responses).toEqual([
      expect.objectContaining({ status: 200, keepAlive: false }),
    ]);
  });

  it('keeps HTTP/1.0 alive only with Connection: keep-alive', () => {
    const r = parseEverySplit(
      'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx' +
        'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\ny',
    );
    expect(r.responses.map(x => x.keepAlive)).toEqual([true, false]);
  });

  it('accepts bare LF line endings and a status line without a reason', () => {
    const head = 'HTTP/1.1 200\nContent-Length: 2\n\n';
    const r = parseEverySplit(`${head}ok`);
    expect(r.responses).toEqual([
      { status: 200, headerBytes: head.length, bodyBytes: 2, keepAlive: true },
    ]);
  });

  it('tells a clean close from a truncated response', () => {
    const cut = parser();
    expect(
      cut.p.execute(bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel')),
    ).toBe(true);
    expect(cut.p.finish()).toBe(false);
    const headCut = parser();
    headCut.p.execute(bytes('HTTP/1.1 200 OK\r\nConte'));
    expect(headCut.p.finish()).toBe(false);
    const clean = parser();
    clean.p.execute(bytes(SIMPLE));
    expect(clean.p.idle).toBe(true);
    expect(clean.p.finish()).toBe(true);
  });

  it.each([
    ['a bad status line', 'HTTP/2.0 200 OK\r\n\r\n'],
    ['a non-HTTP reply', 'SSH-2.0-OpenSSH_9.6\r\n'],
    ['a short status', 'HTTP/1.1 20 OK\r\n\r\n'],
    ['a header without colon', 'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'],
    ['a space in a header name', 'HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n'],
    [
      'a non-numeric Content-Length',
      'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n',
    ],
    [
      'a negative Content-Length',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
    ],
    [
      'a huge Content-Length',
      `HTTP/1.1 200 OK\r\nContent-Length: ${'9'.repeat(20)}\r\n\r\n`,
    ],
    [
      'conflicting Content-Lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    ],
    [
      'a bad chunk size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
    [
      'an empty chunk size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n',
    ],
    [
      'a huge chunk size',
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'f'.repeat(
        20,
      )}\r\n`,
    ],
    [
      'chunk data longer than its size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n',
    ],
    [
      'a 101 upgrade',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n',
    ],
  ])('rejects %s without throwing', (_what, input) => {
    const buf = bytes(input);
    const whole = parse([buf]);
    expect(whole.ok).toBe(false);
    expect(typeof whole.error).toBe('string');
    expect(whole.responses).toEqual([]);
    // Split anywhere, the verdict is the same.
    for (const chunks of splits(buf)) expect(parse(chunks).ok).toBe(false);
  });

  it('bounds the header block and chunk lines', () => {
    const { p } = parser();
    const huge = `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEADER_BYTES)}`;
    // Fed in pieces that never contain a line end: still refused.
    let ok = true;
    for (let k = 0; k < huge.length && ok; k += 1000)
      ok = p.execute(bytes(huge.slice(k, k + 1000)));
    expect(ok).toBe(false);
    expect(p.error).toMatch(/too large/);
    const c = parser();
    expect(
      c.p.execute(
        bytes(
          `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(
            5000,
          )}\r\n`,
        ),
      ),
    ).toBe(false);
  });

  it('stays failed after an error until reset', () => {
    const { p, responses } = parser();
    expect(p.execute(bytes('HTTP/9 nope\r\n'))).toBe(false);
    expect(p.execute(bytes(SIMPLE))).toBe(false);
    p.reset();
    expect(p.execute(bytes(SIMPLE))).toBe(true);
    expect(responses).toHaveLength(1);
  });

  it('parses a slice of a larger, reused buffer without reading outside it', () => {
    const shared = Buffer.alloc(256, 'Z');
    bytes(SIMPLE).copy(shared, 10);
    const { p, responses } = parser();
    // First half, then the buffer is overwritten and holds the second half.
    expect(p.execute(shared, 10, 10 + 20)).toBe(true);
    shared.fill('Q');
    bytes(SIMPLE).copy(shared, 40, 20);
    expect(p.execute(shared, 40, 40 + SIMPLE.length - 20)).toBe(true);
    expect(responses).toEqual([
      {
        status: 200,
        headerBytes: SIMPLE.length - 5,
        bodyBytes: 5,
        keepAlive: true,
      },
    ]);
  });

  it('never throws or loops on random bytes', () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = bytes(
      'HTTP/1.1 200 OK\r\n:;0123456789abcdefXx- \tContent-Length chunked',
    );
    for (let n = 0; n < 500; n++) {
      const len = Math.floor(rnd() * 200);
      const buf = Buffer.from(
        Array.from({ length: len }, () =>
          rnd() < 0.8
            ? alphabet[Math.floor(rnd() * alphabet.length)]
            : Math.floor(rnd() * 256),
        ),
      );
      const input =
        rnd() < 0.5 ? Buffer.concat([bytes(SIMPLE.slice(0, 17)), buf]) : buf;
      expect(() => parse([input]) && parse(splits(input).pop()!)).not.toThrow();
    }
  });
});
