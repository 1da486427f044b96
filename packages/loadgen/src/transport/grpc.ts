/**
 * gRPC unary calls over @grpc/grpc-js, without generated code: the standard
 * health check (`grpc.health.v1.Health/Check`), whose two tiny messages are
 * encoded by hand, or any unary method with a raw serialized request.
 *
 * @packageDocumentation
 */
import * as grpc from '@grpc/grpc-js';
import type { ErrorKind, GrpcOptions, Target, TlsOptions } from '../types';
import type { Completion, Transport } from './types';
import { HEALTH_CHECK_METHOD } from './grpcHealth';
import { resolveKey, type ResolveMap } from './resolve';

export { HEALTH_CHECK_METHOD };

/** `grpc.health.v1.HealthCheckResponse.ServingStatus` names by number. */
export const SERVING_STATUS = [
  'UNKNOWN',
  'SERVING',
  'NOT_SERVING',
  'SERVICE_UNKNOWN',
] as const;

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** Encodes `HealthCheckRequest { string service = 1; }`. */
export function encodeHealthCheckRequest(service: string): Buffer {
  if (!service) return Buffer.alloc(0);
  const bytes = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a, ...varint(bytes.length)]), bytes]);
}

/** Decodes `HealthCheckResponse { ServingStatus status = 1; }` into its status name. */
export function decodeHealthCheckResponse(buf: Buffer): string {
  // Field 1, wire type 0 (varint): tag byte 0x08. An absent field is 0 (UNKNOWN).
  let status = 0;
  for (let i = 0; i < buf.length; ) {
    const tag = buf[i++];
    if (tag === 0x08) {
      let v = 0;
      let shift = 0;
      while (i < buf.length) {
        const b = buf[i++];
        v |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
      status = v;
    } else break; // unknown fields are not expected in this message
  }
  return SERVING_STATUS[status] ?? `STATUS_${status}`;
}

/** Splits a target URL into a grpc-js address and whether it uses TLS. */
export function grpcAddress(url: string): { address: string; secure: boolean } {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)/i.exec(url);
  if (!m) return { address: url.replace(/\/.*$/, ''), secure: false };
  const scheme = m[1].toLowerCase();
  if (!['grpc', 'grpcs', 'http', 'https', 'h2c'].includes(scheme)) {
    throw new Error(
      `unsupported URL scheme ${scheme}: for gRPC use grpc://, grpcs://, http://, https:// or host:port`,
    );
  }
  const secure = scheme === 'grpcs' || scheme === 'https';
  const host = m[2];
  return {
    address: /:\d+$/.test(host) ? host : `${host}:${secure ? 443 : 80}`,
    secure,
  };
}

function errorKindOf(err: grpc.ServiceError): ErrorKind | undefined {
  switch (err.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return 'timeout';
    case grpc.status.UNAVAILABLE:
      if (/ECONNREFUSED|connection refused/i.test(err.details ?? err.message))
        return 'refused';
      if (/ECONNRESET|reset|closed|GOAWAY/i.test(err.details ?? err.message))
        return 'reset';
      return 'other';
    case grpc.status.CANCELLED:
      return 'reset';
    default:
      return undefined; // an answer from the server: counted as a status
  }
}

/** Settings of a {@link GrpcTransport}. */
export interface GrpcTransportOptions {
  targets: Target[];
  connections: number;
  timeoutMs: number;
  grpc: GrpcOptions;
  tls?: TlsOptions;
  /** `host:port` pins: the channel connects to the pinned address, keeping `:authority` and SNI. */
  resolve?: ResolveMap;
}

const identity = (b: Buffer) => b;

/** gRPC unary calls; each connection is a client with its own channel. */
export class GrpcTransport implements Transport {
  private readonly clients: grpc.Client[][];
  private readonly requests: Buffer[];
  private readonly method: string;
  private readonly health: boolean;
  private readonly metadata: grpc.Metadata[];
  private readonly timeoutMs: number;

  constructor(options: GrpcTransportOptions) {
    this.method = options.grpc.method ?? HEALTH_CHECK_METHOD;
    this.health = this.method === HEALTH_CHECK_METHOD;
    this.requests = options.targets.map(t => {
      if (this.health)
        return encodeHealthCheckRequest(options.grpc.service ?? '');
      return t.body === undefined ? Buffer.alloc(0) : Buffer.from(t.body);
    });
    this.metadata = options.targets.map(t => {
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(t.headers ?? {}))
        md.add(k.toLowerCase(), v);
      return md;
    });
    this.clients = options.targets.map(t => {
      const { address, secure } = grpcAddress(t.url);
      const [, host, portText] = /^(.*):(\d+)$/.exec(address)!;
      const pin = options.resolve?.[resolveKey(host, Number(portText))];
      const bare = host.replace(/^\[(.*)\]$/, '$1');
      // A pinned channel dials the address but speaks to the server as the original host.
      const pinned: grpc.ChannelOptions = pin
        ? {
            'grpc.default_authority': address,
            ...(secure ? { 'grpc.ssl_target_name_override': bare } : {}),
          }
        : {};
      const dial = pin
        ? `${pin.address.includes(':') ? `[${pin.address}]` : pin.address}:${
            pin.port
          }`
        : address;
      const credentials = secure
        ? grpc.credentials.createSsl(
            options.tls?.ca ? Buffer.from(options.tls.ca) : null,
            null,
            null,
            options.tls?.insecure
              ? {
                  rejectUnauthorized: false,
                  checkServerIdentity: () => undefined,
                }
              : {},
          )
        : grpc.credentials.createInsecure();
      return Array.from(
        { length: options.connections },
        // A local subchannel pool gives each client its own TCP connection;
        // by default grpc-js would share one among identical channels.
        () =>
          new grpc.Client(dial, credentials, {
            'grpc.use_local_subchannel_pool': 1,
            ...pinned,
          }),
      );
    });
    this.timeoutMs = options.timeoutMs;
  }

  async prepare(): Promise<void> {
    const deadline =
      Date.now() + (this.timeoutMs > 0 ? this.timeoutMs : 10_000);
    // A failure here is not fatal: it shows up as errors on the first calls.
    const settled = [
      grpc.connectivityState.READY,
      grpc.connectivityState.TRANSIENT_FAILURE,
      grpc.connectivityState.SHUTDOWN,
    ];
    await Promise.all(
      this.clients.flat().map(
        c =>
          new Promise<void>(resolve => {
            // Unlike waitForReady, also stop at the first failure (refused port).
            const channel = c.getChannel();
            const wait = () => {
              const state = channel.getConnectivityState(true);
              if (settled.includes(state) || Date.now() >= deadline) resolve();
              else channel.watchConnectivityState(state, deadline, wait);
            };
            wait();
          }),
      ),
    );
  }

  requestBytes(target: number): number {
    return this.requests[target].length;
  }

  send(lane: number, target: number, done: Completion): void {
    const conns = this.clients[target];
    const client = conns[lane % conns.length];
    const callOptions: grpc.CallOptions =
      this.timeoutMs > 0 ? { deadline: Date.now() + this.timeoutMs } : {};
    client.makeUnaryRequest(
      this.method,
      identity,
      identity,
      this.requests[target],
      this.metadata[target],
      callOptions,
      (err, value) => {
        if (err) {
          const kind = errorKindOf(err);
          if (kind) done(0, false, 0, kind);
          else
            done(
              grpc.status[err.code] ?? String(err.code),
              false,
              0,
              undefined,
            );
          return;
        }
        const body = value ?? Buffer.alloc(0);
        if (this.health) {
          const serving = decodeHealthCheckResponse(body);
          done(serving, serving === 'SERVING', body.length, undefined);
        } else done('OK', true, body.length, undefined);
      },
    );
  }

  async close(): Promise<void> {
    for (const c of this.clients.flat()) c.close();
  }
}
