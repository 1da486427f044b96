/**
 * An incremental HTTP/1.1 response parser over byte chunks, for the `net`
 * transport. Pure: no I/O, no timers; bytes go in through
 * {@link Http1ResponseParser.execute}, complete responses come out through a
 * {@link Http1ParserHandler}. It frames responses (status, Content-Length,
 * chunked, bodiless statuses, read-until-close) and counts bytes; it does not
 * keep header values or bodies, because a load generator never looks at them.
 *
 * @packageDocumentation
 */

/** What the parser reports to its owner. */
export interface Http1ParserHandler {
  /**
   * True when the response whose headers just ended answers a HEAD request,
   * so it has no body whatever its headers say. Asked once per final response.
   */
  isHeadResponse(): boolean;
  /**
   * One complete response.
   * @param status - the status code (interim 1xx responses are skipped)
   * @param headerBytes - bytes of the status line and header block, blank line
   *   included (plus those of any interim responses before it)
   * @param bodyBytes - bytes after the header block up to the end of the
   *   response: the body, and for chunked responses the chunk framing and trailers
   * @param keepAlive - false when the server closes the connection after it
   *   (`Connection: close`, HTTP/1.0 without keep-alive, body read until close)
   */
  onResponse(
    status: number,
    headerBytes: number,
    bodyBytes: number,
    keepAlive: boolean,
  ): void;
}

// Limits that keep a hostile or broken server from growing memory without bound.
/** Largest header block (status line, headers, blank line) accepted. */
export const MAX_HEADER_BYTES = 80 * 1024;
const MAX_CHUNK_LINE_BYTES = 4096;
// 13 hex digits stay below 2^53, so a chunk size is always an exact number.
const MAX_CHUNK_SIZE_DIGITS = 13;
const MAX_CONTENT_LENGTH_DIGITS = 15;

// States. Line states collect a line up to LF; byte states count bytes.
const STATUS_LINE = 0;
const HEADER_LINE = 1;
const BODY = 2;
const BODY_UNTIL_CLOSE = 3;
const CHUNK_SIZE_LINE = 4;
const CHUNK_DATA = 5;
const CHUNK_DATA_END = 6;
const TRAILER_LINE = 7;
const CLOSED = 8;
const FAILED = 9;

const LF = 10;
const CR = 13;
const SP = 32;
const HT = 9;

/** Lower-cases an ASCII letter byte. */
const lower = (c: number) => (c >= 65 && c <= 90 ? c | 0x20 : c);

/** Does `buf[s, e)` equal the lower-case ASCII `name`, ignoring case? */
function nameIs(buf: Uint8Array, s: number, e: number, name: string): boolean {
  if (e - s !== name.length) return false;
  for (let k = 0; k < name.length; k++)
    if (lower(buf[s + k]) !== name.charCodeAt(k)) return false;
  return true;
}

/** Comma-separated tokens of a header value, trimmed and lower-cased. */
function tokens(buf: Uint8Array, s: number, e: number): string[] {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s)
    .toString('latin1')
    .toLowerCase()
    .split(',')
    .map(t => t.trim())
    .filter(t => t.length > 0);
}

/**
 * Parses the responses of one connection, in order. Create one per
 * connection (or {@link Http1ResponseParser.reset} it for a new one).
 */
export class Http1ResponseParser {
  /** Why parsing stopped, once {@link Http1ResponseParser.execute} returned false. */
  error: string | undefined;

  private state = STATUS_LINE;
  // Start of a line that did not end in the previous chunk (a copy: the
  // caller's buffer is reused for the next read).
  private partial: Buffer | undefined;
  private lineBytes = 0;
  private status = 0;
  private http10 = false;
  private keepAlive = true;
  private contentLength = -1;
  private chunked = false;
  private transferEncoding = false;
  private headerBytes = 0;
  private bodyBytes = 0;
  private remaining = 0;

  constructor(private readonly handler: Http1ParserHandler) {}

  /** True between responses: no bytes of an unfinished response are held. */
  get idle(): boolean {
    return (
      this.state === STATUS_LINE &&
      this.lineBytes === 0 &&
      this.headerBytes === 0
    );
  }

  /** Forgets everything, for a new connection. */
  reset(): void {
    this.state = STATUS_LINE;
    this.error = undefined;
    this.startResponse();
  }

  private startResponse(): void {
    this.partial = undefined;
    this.lineBytes = 0;
    this.headerBytes = 0;
    this.bodyBytes = 0;
    this.startHead();
  }

  /** Clears what one (possibly interim) response head set. */
  private startHead(): void {
    this.status = 0;
    this.http10 = false;
    this.keepAlive = true;
    this.contentLength = -1;
    this.chunked = false;
    this.transferEncoding = false;
  }

  private fail(message: string): false {
    this.state = FAILED;
    this.error = message;
    this.partial = undefined;
    return false;
  }

  /**
   * Parses `buf[start, end)`. Returns false on malformed input (see
   * {@link Http1ResponseParser.error}); the parser then ignores further
   * input until reset. Bytes after a response that closes the connection are
   * ignored as well.
   */
  execute(buf: Uint8Array, start = 0, end = buf.length): boolean {
    let i = start;
    while (i < end) {
      const state = this.state;
      if (state === BODY || state === CHUNK_DATA) {
        const take = Math.min(this.remaining, end - i);
        i += take;
        this.remaining -= take;
        this.bodyBytes += take;
        if (this.remaining === 0) {
          if (state === BODY) this.complete();
          else this.state = CHUNK_DATA_END;
        }
        continue;
      }
      if (state === BODY_UNTIL_CLOSE) {
        this.bodyBytes += end - i;
        return true;
      }
      if (state === CLOSED) return true;
      if (state === FAILED) return false;

      // A line state: find the end of the line within this chunk.
      let lf = i;
      while (lf < end && buf[lf] !== LF) lf++;
      const limit =
        state === CHUNK_SIZE_LINE || state === CHUNK_DATA_END
          ? MAX_CHUNK_LINE_BYTES
          : MAX_HEADER_BYTES - this.headerBytes;
      const taken = lf - i + (lf < end ? 1 : 0);
      if (this.lineBytes + taken > limit)
        return this.fail(
          state === CHUNK_SIZE_LINE || state === CHUNK_DATA_END
            ? 'chunk size line too long'
            : 'response header block too large',
        );
      if (lf === end) {
        // The line goes on in the next chunk.
        const rest = Buffer.from(buf.subarray(i, end));
        this.partial = this.partial
          ? Buffer.concat([this.partial, rest])
          : rest;
        this.lineBytes += taken;
        return true;
      }
      let lineBuf = buf;
      let s = i;
      let e = lf;
      if (this.partial) {
        lineBuf = Buffer.concat([this.partial, buf.subarray(i, lf)]);
        s = 0;
        e = lineBuf.length;
        this.partial = undefined;
      }
      const bytes = this.lineBytes + taken;
      this.lineBytes = 0;
      i = lf + 1;
      if (e > s && lineBuf[e - 1] === CR) e--;
      if (!this.line(state, lineBuf, s, e, bytes)) return false;
    }
    return true;
  }

  /**
   * The connection ended. Completes a response whose body runs until the
   * close. Returns true when nothing was cut off (the parser was between
   * responses, or that response completed), false when a response was
   * truncated (or the parser had failed).
   */
  finish(): boolean {
    if (this.state === BODY_UNTIL_CLOSE) {
      this.keepAlive = false;
      this.complete();
      return true;
    }
    if (this.state === CLOSED) return true;
    if (this.state === FAILED) return false;
    return this.idle;
  }

  /** Handles one complete line `buf[s, e)` (CRLF stripped) of `bytes` wire bytes. */
  private line(
    state: number,
    buf: Uint8Array,
    s: number,
    e: number,
    bytes: number,
  ): boolean {
    switch (state) {
      case STATUS_LINE:
        this.headerBytes += bytes;
        return this.statusLine(buf, s, e);
      case HEADER_LINE:
        this.headerBytes += bytes;
        if (e === s) return this.endOfHead();
        return this.headerLine(buf, s, e);
      case CHUNK_SIZE_LINE:
        this.bodyBytes += bytes;
        return this.chunkSizeLine(buf, s, e);
      case CHUNK_DATA_END:
        this.bodyBytes += bytes;
        if (e !== s) return this.fail('missing CRLF after chunk data');
        this.state = CHUNK_SIZE_LINE;
        return true;
      case TRAILER_LINE:
        this.bodyBytes += bytes;
        if (e === s) this.complete();
        return true;
      default:
        return this.fail('internal parser state');
    }
  }

  /** `HTTP/1.x NNN [reason]` */
  private statusLine(buf: Uint8Array, s: number, e: number): boolean {
    // Tolerate stray empty lines between responses (RFC 9112 §2.2).
    if (e === s && this.headerBytes <= 2) {
      this.headerBytes = 0;
      return true;
    }
    const ok =
      e - s >= 12 &&
      buf[s] === 0x48 && // H
      buf[s + 1] === 0x54 && // T
      buf[s + 2] === 0x54 && // T
      buf[s + 3] === 0x50 && // P
      buf[s + 4] === 0x2f && // /
      buf[s + 5] === 0x31 && // 1
      buf[s + 6] === 0x2e && // .
      (buf[s + 7] === 0x30 || buf[s + 7] === 0x31) &&
      buf[s + 8] === SP &&
      isDigit(buf[s + 9]) &&
      isDigit(buf[s + 10]) &&
      isDigit(buf[s + 11]) &&
      (e - s === 12 || buf[s + 12] === SP);
    if (!ok) return this.fail('malformed status line');
    const status =
      (buf[s + 9] - 48) * 100 + (buf[s + 10] - 48) * 10 + (buf[s + 11] - 48);
    if (status < 100) return this.fail('malformed status line');
    this.status = status;
    this.http10 = buf[s + 7] === 0x30;
    // HTTP/1.0 closes after each response unless it says keep-alive.
    this.keepAlive = !this.http10;
    this.state = HEADER_LINE;
    return true;
  }

  /** `name: value`; only the framing headers are looked at. */
  private headerLine(buf: Uint8Array, s: number, e: number): boolean {
    const c0 = buf[s];
    // Obsolete line folding continues the previous header; none we read uses it.
    if (c0 === SP || c0 === HT) return true;
    let colon = s;
    while (colon < e && buf[colon] !== 0x3a) colon++;
    if (colon === e || colon === s) return this.fail('malformed header line');
    for (let k = s; k < colon; k++) {
      const c = buf[k];
      if (c <= SP || c >= 127) return this.fail('malformed header name');
    }
    let vs = colon + 1;
    let ve = e;
    while (vs < ve && (buf[vs] === SP || buf[vs] === HT)) vs++;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
    const first = lower(c0);
    if (first === 0x63 /* c */) {
      if (nameIs(buf, s, colon, 'content-length'))
        return this.contentLengthValue(buf, vs, ve);
      if (nameIs(buf, s, colon, 'connection')) {
        // The usual single values without building strings (hot path).
        if (nameIs(buf, vs, ve, 'keep-alive')) {
          if (this.http10) this.keepAlive = true;
          return true;
        }
        if (nameIs(buf, vs, ve, 'close')) {
          this.keepAlive = false;
          return true;
        }
        for (const t of tokens(buf, vs, ve)) {
          if (t === 'close') this.keepAlive = false;
          else if (t === 'keep-alive' && this.http10) this.keepAlive = true;
        }
      }
    } else if (
      first === 0x74 /* t */ &&
      nameIs(buf, s, colon, 'transfer-encoding')
    ) {
      this.transferEncoding = true;
      if (nameIs(buf, vs, ve, 'chunked')) {
        this.chunked = true;
        return true;
      }
      const codings = tokens(buf, vs, ve);
      // Chunked only when it is the final coding (RFC 9112 §6.3).
      this.chunked =
        codings.length > 0 && codings[codings.length - 1] === 'chunked';
    }
    return true;
  }

  private contentLengthValue(buf: Uint8Array, s: number, e: number): boolean {
    if (e === s || e - s > MAX_CONTENT_LENGTH_DIGITS)
      return this.fail('invalid Content-Length');
    let n = 0;
    for (let k = s; k < e; k++) {
      const c = buf[k];
      if (!isDigit(c)) return this.fail('invalid Content-Length');
      n = n * 10 + (c - 48);
    }
    if (this.contentLength >= 0 && this.contentLength !== n)
      return this.fail('conflicting Content-Length headers');
    this.contentLength = n;
    return true;
  }

  /** The blank line after the headers: decide how the body is framed. */
  private endOfHead(): boolean {
    const status = this.status;
    if (status < 200) {
      // 101 would switch protocols: nothing HTTP/1.1 follows.
      if (status === 101)
        return this.fail('unexpected 101 Switching Protocols');
      // Interim response: its bytes count as header bytes of the final one.
      this.startHead();
      this.state = STATUS_LINE;
      return true;
    }
    if (status === 204 || status === 304 || this.handler.isHeadResponse()) {
      this.complete();
      return true;
    }
    if (this.transferEncoding) {
      // Transfer-Encoding overrides Content-Length; without a final chunked
      // coding the body runs until the server closes (RFC 9112 §6.3).
      if (this.chunked) this.state = CHUNK_SIZE_LINE;
      else this.untilClose();
      return true;
    }
    if (this.contentLength > 0) {
      this.remaining = this.contentLength;
      this.state = BODY;
    } else if (this.contentLength === 0) this.complete();
    else this.untilClose();
    return true;
  }

  private untilClose(): void {
    this.keepAlive = false;
    this.state = BODY_UNTIL_CLOSE;
  }

  /** `hex-size [; extensions]` */
  private chunkSizeLine(buf: Uint8Array, s: number, e: number): boolean {
    let k = s;
    let size = 0;
    while (k < e) {
      const v = hexValue(buf[k]);
      if (v < 0) break;
      if (k - s >= MAX_CHUNK_SIZE_DIGITS) return this.fail('chunk too large');
      size = size * 16 + v;
      k++;
    }
    if (k === s) return this.fail('invalid chunk size');
    // Optional whitespace, then extensions (ignored) or the end of the line.
    while (k < e && (buf[k] === SP || buf[k] === HT)) k++;
    if (k < e && buf[k] !== 0x3b /* ; */)
      return this.fail('invalid chunk size');
    if (size === 0) this.state = TRAILER_LINE;
    else {
      this.remaining = size;
      this.state = CHUNK_DATA;
    }
    return true;
  }

  private complete(): void {
    const { status, headerBytes, bodyBytes, keepAlive } = this;
    this.state = keepAlive ? STATUS_LINE : CLOSED;
    this.startResponse();
    this.handler.onResponse(status, headerBytes, bodyBytes, keepAlive);
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
