/**
 * A raw TCP "HTTP" server for edge cases node:http will not produce: it
 * splits requests (head plus Content-Length body) and hands each to a
 * handler that writes whatever bytes it likes.
 */
import net, { type AddressInfo, type Socket } from 'node:net';

/** One request as the raw server saw it. */
export interface RawRequest {
  head: string;
  body: Buffer;
  /** Index of this request on its connection, from 0. */
  index: number;
  /** Index of its connection, from 0. */
  connection: number;
}

/** A running raw server. */
export interface RawServer {
  url: string;
  port: number;
  requests: RawRequest[];
  /** Connections accepted. */
  connections: number;
  close(): Promise<void>;
}

/** Starts a server that calls `handle` for every request, in arrival order. */
export function startRawServer(
  handle: (socket: Socket, req: RawRequest) => void,
): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const connection = connections++;
    let index = 0;
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(
          /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0,
        );
        if (pending.length < end + 4 + length) return;
        const body = pending.subarray(end + 4, end + 4 + length);
        pending = pending.subarray(end + 4 + length);
        const req = { head, body, index: index++, connection };
        requests.push(req);
        if (!socket.destroyed) handle(socket, req);
      }
    });
  });
  return new Promise(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        get connections() {
          return connections;
        },
        close: () =>
          new Promise<void>(done => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A minimal `200 OK` response with a Content-Length body. */
export function okResponse(body = 'ok', extraHeaders = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extraHeaders}\r\n${body}`;
}
