/** One series of an instant vector, as `/api/v1/query` returns it. */
export interface PrometheusVectorSample {
  metric: Record<string, string>;
  /** The sample's value; NaN and ±Inf stay as they are (Prometheus sends them as strings). */
  value: number;
  /** The evaluation time, Unix seconds (the same for every series of one answer). */
  timestamp: number;
}

export interface PrometheusClientOptions {
  /** Base URL (without `/api/v1`); a path prefix is kept. Shown in error messages. */
  url: string;
  timeoutMs: number;
  bearerToken?: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Words for the query in error messages, e.g. `istio request rate`. */
export interface PrometheusQueryOptions {
  signal?: AbortSignal;
  description?: string;
  /**
   * Evaluation time, Unix seconds (Prometheus's `time`); defaults to the server's now. Queries
   * that are combined afterwards should share one, or their windows differ.
   */
  time?: number;
}

interface ApiEnvelope {
  status?: unknown;
  data?: { resultType?: unknown; result?: unknown };
  errorType?: unknown;
  error?: unknown;
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** An Error from any realm (fetch's errors are not `instanceof Error` inside jest's sandbox). */
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && 'message' in value;
}

/** The innermost cause's message of a fetch failure (`connect ECONNREFUSED 127.0.0.1:9`). */
function networkReason(error: unknown): string {
  let reason = isErrorLike(error) ? String(error.message) : String(error);
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isErrorLike(current); depth++) {
    const cause: unknown = current.cause;
    if (isErrorLike(cause)) {
      const message = String(cause.message ?? '');
      reason =
        message || (typeof cause.code === 'string' ? cause.code : reason);
    }
    current = cause;
  }
  return reason;
}

function parseValue(raw: unknown): number {
  if (typeof raw !== 'string') return NaN;
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

/**
 * Instant queries against Prometheus's HTTP API (`POST <url>/api/v1/query`, form-encoded, as
 * Grafana sends them, so long queries fit), with a timeout, credentials and extra headers. Every
 * failure is an Error whose message names the URL and says what went wrong in words; credentials
 * never appear in it.
 */
export class PrometheusClient {
  readonly url: string;
  readonly #endpoint: URL;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;
  readonly #hasCredentials: boolean;
  readonly #fetch: typeof fetch;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url;
    this.#endpoint = new URL(
      'api/v1/query',
      options.url.endsWith('/') ? options.url : `${options.url}/`,
    );
    this.#timeoutMs = options.timeoutMs;
    const headers: Record<string, string> = { ...options.headers };
    if (options.bearerToken !== undefined) {
      headers.Authorization = `Bearer ${options.bearerToken}`;
    } else if (options.username !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(
        `${options.username}:${options.password ?? ''}`,
      ).toString('base64')}`;
    }
    this.#headers = headers;
    this.#hasCredentials = 'Authorization' in headers;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Evaluates `query` now; rejects unless the result is an instant vector. */
  async query(
    query: string,
    options: PrometheusQueryOptions = {},
  ): Promise<PrometheusVectorSample[]> {
    const what = options.description
      ? `the ${options.description} query`
      : 'the query';
    const where = `Prometheus at ${this.url}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;

    let status: number;
    let statusText: string;
    let body: string;
    try {
      const response = await this.#fetch(this.#endpoint, {
        method: 'POST',
        headers: {
          ...this.#headers,
          Accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          query,
          // Prometheus stops evaluating too, instead of finishing a query nobody waits for.
          timeout: `${Math.max(1, Math.floor(this.#timeoutMs))}ms`,
          ...(options.time !== undefined ? { time: String(options.time) } : {}),
        }).toString(),
        signal,
        redirect: 'follow',
      });
      status = response.status;
      statusText = response.statusText;
      body = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (timeout.aborted) {
        throw new Error(
          `${where} did not answer ${what} within ${this.#timeoutMs} ms`,
        );
      }
      throw new Error(`${where} could not be reached: ${networkReason(error)}`);
    }

    if (status === 401 || status === 403) {
      const hint = this.#hasCredentials
        ? 'check mesh.metrics.prometheus.bearerToken or username/password'
        : 'set mesh.metrics.prometheus.bearerToken or username/password';
      throw new Error(
        `${where} ${
          status === 401 ? 'refused the credentials' : 'denied access'
        } (HTTP ${status}${statusText ? ` ${statusText}` : ''}): ${hint}`,
      );
    }

    let envelope: ApiEnvelope | undefined;
    try {
      envelope = JSON.parse(body) as ApiEnvelope;
    } catch {
      envelope = undefined;
    }
    if (envelope?.status === 'error' || (status >= 400 && envelope?.error)) {
      const type =
        typeof envelope.errorType === 'string'
          ? ` (${envelope.errorType})`
          : '';
      throw new Error(
        `${where} rejected ${what}: ${String(
          envelope.error ?? 'no message',
        )}${type}`,
      );
    }
    if (status < 200 || status >= 300) {
      const detail = body.trim() ? `: ${oneLine(body)}` : '';
      throw new Error(
        `${where} answered HTTP ${status}${
          statusText ? ` ${statusText}` : ''
        }${detail}`,
      );
    }
    if (envelope?.status !== 'success' || !envelope.data) {
      throw new Error(
        `${where} did not answer with Prometheus's query API JSON (is the URL the server's base URL?)`,
      );
    }
    const { resultType, result } = envelope.data;
    if (resultType !== 'vector' || !Array.isArray(result)) {
      throw new Error(
        `${where} answered ${what} with a ${String(
          resultType,
        )}, not an instant vector`,
      );
    }
    return result.map(item => {
      const series = item as { metric?: unknown; value?: unknown };
      const metric =
        series.metric && typeof series.metric === 'object'
          ? (series.metric as Record<string, string>)
          : {};
      const [timestamp, raw] = Array.isArray(series.value)
        ? series.value
        : [NaN, undefined];
      return { metric, value: parseValue(raw), timestamp: Number(timestamp) };
    });
  }
}
