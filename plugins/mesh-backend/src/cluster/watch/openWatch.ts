import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';

/** One line of a watch stream. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/**
 * Why a watch ended, worded to follow the cluster's name (`cluster 'dev' cut the watch of ...`).
 * A watch the server closed normally (its timeout) ends with `undefined` instead.
 */
export class WatchEndedError extends Error {
  constructor(
    message: string,
    /** The HTTP status when the server refused the watch. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'WatchEndedError';
  }
}

/** An open watch; `done` settles once, however it ends. */
export interface OpenWatch {
  abort(): void;
  done: Promise<WatchEndedError | undefined>;
}

/**
 * Opens `GET <path>?watch=1&...` on a cluster with client-node's KubeConfig supplying credentials
 * and the TLS agent, and calls `onEvent` for each line. Node's own HTTP client rather than
 * client-node's `Watch`: the connection attempt must be bounded (a black-holed API server would
 * otherwise hold the watch, and the view's health, forever) and aborting must end it at once.
 */
export function openWatch(
  kc: KubeConfig,
  server: string,
  path: string,
  query: Record<string, string>,
  handlers: {
    /** The server accepted the watch (HTTP 200). */
    onOpen?: () => void;
    onEvent: (event: WatchEvent) => void;
  },
  connectTimeoutMs: number,
): OpenWatch {
  let settle!: (error: WatchEndedError | undefined) => void;
  const done = new Promise<WatchEndedError | undefined>(resolve => {
    settle = resolve;
  });
  let ended = false;
  let request: http.ClientRequest | undefined;
  // Set just below: `end` clears it, and its callback calls `end`.
  const connect: { timer?: NodeJS.Timeout } = {};
  const end = (error?: WatchEndedError) => {
    if (ended) return;
    ended = true;
    clearTimeout(connect.timer);
    request?.destroy();
    settle(error);
  };
  connect.timer = setTimeout(
    () =>
      end(
        new WatchEndedError(
          `did not answer the watch of ${path} within ${connectTimeoutMs} ms`,
        ),
      ),
    connectTimeoutMs,
  );

  const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
  url.searchParams.set('watch', '1');
  for (const [key, value] of Object.entries(query)) {
    url.searchParams.set(key, value);
  }

  const options: https.RequestOptions = {
    method: 'GET',
    headers: { Accept: 'application/json' },
  };
  kc.applyToHTTPSOptions(options).then(
    () => {
      if (ended) return;
      const client = url.protocol === 'https:' ? https : http;
      request = client.request(url, options, response => {
        clearTimeout(connect.timer);
        if (response.statusCode !== 200) {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', chunk => {
            if (body.length < 4096) body += chunk;
          });
          response.on('end', () =>
            end(
              new WatchEndedError(
                `answered the watch of ${path} with HTTP ${
                  response.statusCode
                }: ${statusMessage(body)}`,
                response.statusCode,
              ),
            ),
          );
          return;
        }
        handlers.onOpen?.();
        const lines = createInterface({ input: response, crlfDelay: Infinity });
        lines.on('line', line => {
          if (ended || !line.trim()) return;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            end(
              new WatchEndedError(
                `sent a line that is not JSON on the watch of ${path}`,
              ),
            );
            return;
          }
          handlers.onEvent(event);
        });
        // readline re-emits its input's errors, and an unheard 'error' event would crash the
        // process: a cut connection must end the watch, nothing more.
        const broke = (error: Error) =>
          end(
            new WatchEndedError(`broke the watch of ${path}: ${error.message}`),
          );
        response.on('error', broke);
        lines.on('error', broke);
        response.on('end', () => end(undefined));
        response.on('close', () =>
          end(
            response.complete
              ? undefined
              : new WatchEndedError(`cut the watch of ${path}`),
          ),
        );
      });
      request.on('error', error =>
        end(
          new WatchEndedError(
            `could not be reached for the watch of ${path}: ${error.message}`,
          ),
        ),
      );
      request.end();
    },
    (error: Error) =>
      end(
        new WatchEndedError(`could not be given credentials: ${error.message}`),
      ),
  );

  return { abort: () => end(undefined), done };
}

function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: string };
    if (status.message) return status.message;
  } catch {
    // not a Status: show the text
  }
  return body.slice(0, 200) || '(no body)';
}
