/**
 * @jest-environment node
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerSentEventParser, readEventStream } from './eventStream';

const STREAM = [
  ': ping',
  '',
  'id: 1',
  'event: log',
  'data: {"seq":1,"message":"Step 1/2"}',
  '',
  'event: state',
  'data: line one',
  'data: line two',
  '',
  'data: plain message',
  '',
  'event: empty-is-skipped',
  '',
].join('\r\n');

const EXPECTED = [
  { event: 'log', id: '1', data: '{"seq":1,"message":"Step 1/2"}' },
  { event: 'state', data: 'line one\nline two' },
  { event: 'message', data: 'plain message' },
];

describe('ServerSentEventParser', () => {
  it('parses events, multi-line data, ids and comments', () => {
    expect(new ServerSentEventParser().push(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same events however the text is split into chunks', () => {
    for (let at = 1; at < STREAM.length; at++) {
      const parser = new ServerSentEventParser();
      const events = [
        ...parser.push(STREAM.slice(0, at)),
        ...parser.push(STREAM.slice(at)),
      ];
      expect({ at, events }).toEqual({ at, events: EXPECTED });
    }
  });

  it('accepts LF and CR line ends', () => {
    const lf = new ServerSentEventParser().push('event: a\ndata: 1\n\n');
    // A '\r' at the end of a chunk may be half of '\r\n': the event completes with the next chunk.
    const parser = new ServerSentEventParser();
    expect(parser.push('event: a\rdata: 1\r\r')).toEqual([]);
    expect(parser.push(': next')).toEqual([{ event: 'a', data: '1' }]);
    expect(lf).toEqual([{ event: 'a', data: '1' }]);
  });
});

describe('readEventStream', () => {
  let server: http.Server;
  let url: string;
  let release: () => void;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Frames arrive one by one; the last one only once the test lets it.
      res.write('event: log\ndata: first\n\n');
      res.write('event: log\nda');
      res.write('ta: second\n\n');
      release = () => res.end('event: state\ndata: done\n\n');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  it('delivers frames as they arrive and resolves when the server closes', async () => {
    const seen: string[] = [];
    const done = readEventStream(await fetch(url), e => {
      seen.push(`${e.event}:${e.data}`);
      if (seen.length === 2) release();
    });
    await done;
    expect(seen).toEqual(['log:first', 'log:second', 'state:done']);
  });

  it('stops reading when aborted', async () => {
    const abort = new AbortController();
    const seen: string[] = [];
    await readEventStream(
      await fetch(url),
      e => {
        seen.push(e.data);
        abort.abort();
      },
      abort.signal,
    );
    expect(seen).toEqual(['first']);
  });
});
