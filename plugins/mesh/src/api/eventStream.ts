/**
 * Server-Sent Events over the fetch API. `EventSource` cannot send the `Authorization` header
 * Backstage needs, so the stream is read from a fetch response body and split into frames here.
 *
 * @packageDocumentation
 */

/** One Server-Sent Event. */
export interface ServerSentEvent {
  /** `event:` field; `message` when absent. */
  event: string;
  /** `data:` lines joined with newlines. */
  data: string;
  /** `id:` field, when the server sent one. */
  id?: string;
}

/**
 * Incremental SSE parser: feed it text chunks as they arrive (split anywhere), get back the
 * events completed by each chunk. Pure, so it is tested on every split point.
 */
export class ServerSentEventParser {
  private buffer = '';
  private lines: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];
    for (;;) {
      const nl = this.buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      // A lone '\r' at the end may be the first half of '\r\n': wait for more.
      if (this.buffer[nl] === '\r' && nl === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, nl);
      const width = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + width);
      if (line === '') {
        const event = this.dispatch();
        if (event) events.push(event);
      } else {
        this.lines.push(line);
      }
    }
    return events;
  }

  private dispatch(): ServerSentEvent | undefined {
    const lines = this.lines;
    this.lines = [];
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    let hasData = false;
    for (const line of lines) {
      if (line.startsWith(':')) continue; // comment (keep-alive ping)
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') {
        data.push(value);
        hasData = true;
      }
    }
    if (!hasData) return undefined;
    return {
      event,
      data: data.join('\n'),
      ...(id !== undefined ? { id } : {}),
    };
  }
}

/**
 * Reads the events of a fetch `Response` until the server closes the stream or `signal` aborts;
 * resolves when the stream ends.
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: ServerSentEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new ServerSentEventParser();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      const text = done
        ? `${decoder.decode()}\n\n`
        : decoder.decode(value, { stream: true });
      for (const event of parser.push(text)) {
        // Nothing is delivered after an abort, even from the chunk already read.
        if (signal?.aborted) return;
        onEvent(event);
      }
      if (done) return;
    }
  } catch (e) {
    if (signal?.aborted) return;
    throw e;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
