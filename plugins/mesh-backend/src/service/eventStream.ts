import type express from 'express';

/** A Server-Sent Events response. */
export interface EventStream {
  /** Writes one event (`id` lets a reconnecting client resume with `Last-Event-ID`). */
  send(event: string, data: unknown, id?: number | string): void;
  /** Writes a comment line, which keeps proxies from closing a quiet stream. */
  ping(): void;
  /** Ends the response. */
  end(): void;
}

/**
 * Turns a response into a Server-Sent Events stream: headers that keep proxies and compression
 * from buffering it, sent at once, and one frame per `send`.
 */
export function openEventStream(res: express.Response): EventStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  // Tells nginx-style proxies not to buffer the stream.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  return {
    send(event, data, id) {
      res.write(
        `${
          id !== undefined ? `id: ${id}\n` : ''
        }event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
      // compression middleware buffers otherwise
      (res as unknown as { flush?: () => void }).flush?.();
    },
    ping() {
      res.write(': ping\n\n');
    },
    end() {
      res.end();
    },
  };
}
