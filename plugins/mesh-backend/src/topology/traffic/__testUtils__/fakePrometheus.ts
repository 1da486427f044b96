import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake server received, with its form body decoded. */
export interface ReceivedQuery {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  form: Record<string, string>;
}

/** What the handler answers: a status and a body (an object is sent as JSON). */
export type FakeAnswer =
  | { status?: number; body: unknown; contentType?: string }
  /** Never answer (for timeouts); the socket is closed when the server closes. */
  | 'hang';

/** A local HTTP server standing in for Prometheus's `/api/v1/query`. */
export interface FakePrometheus {
  url: string;
  received: ReceivedQuery[];
  /** Requests left unanswered ('hang') whose client went away. */
  abandoned(): number;
  close(): Promise<void>;
}

export async function startFakePrometheus(
  answer: (query: ReceivedQuery) => FakeAnswer,
): Promise<FakePrometheus> {
  const received: ReceivedQuery[] = [];
  let abandoned = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const form = Object.fromEntries(
        new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      );
      const query: ReceivedQuery = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        form,
      };
      received.push(query);
      const reply = answer(query);
      if (reply === 'hang') {
        res.on('close', () => {
          abandoned++;
        });
        return;
      }
      const text =
        typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        'Content-Type': reply.contentType ?? 'application/json',
      });
      res.end(text);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    abandoned: () => abandoned,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A successful instant-vector answer. */
export function vector(
  series: Array<{ metric: Record<string, string>; value: string }>,
): FakeAnswer {
  return {
    body: {
      status: 'success',
      data: {
        resultType: 'vector',
        result: series.map(s => ({
          metric: s.metric,
          value: [1700000000.123, s.value],
        })),
      },
    },
  };
}
