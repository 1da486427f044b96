/**
 * The contract between the engine (when to send) and a transport (how):
 * HTTP/1.1 and HTTP/2 over undici, gRPC over @grpc/grpc-js.
 *
 * @packageDocumentation
 */
import type { ErrorKind } from '../types';

/**
 * Called exactly once per request, never synchronously from `send`.
 * @param status - HTTP status, gRPC status or health status name; 0 on error
 * @param ok - success (2xx/3xx, gRPC OK)
 * @param received - response bytes (body plus estimated headers)
 * @param error - set when there was no response
 * @param headerBytes - the (estimated) header part of `received`
 */
export type Completion = (
  status: number | string,
  ok: boolean,
  received: number,
  error: ErrorKind | undefined,
  headerBytes?: number,
) => void;

/** Sends requests on a fixed set of connections. */
export interface Transport {
  /**
   * Starts one request to target `target` on lane `lane`. Lanes map onto
   * connections (`lane % connections`), so with pipelining several lanes share one.
   */
  send(lane: number, target: number, done: Completion): void;
  /** Opens connections ahead of the load, so handshakes are not measured. */
  prepare(): Promise<void>;
  /** Request body bytes of one request to `target`. */
  requestBytes(target: number): number;
  /** Closes every connection; in-flight requests fail and are not waited for. */
  close(): Promise<void>;
}
