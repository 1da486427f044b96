import { STATUS_CODES } from 'node:http';
import type { RequestFailure } from './retryPolicy';

// Node's error codes as a person reads them in a step log.
const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EAI_AGAIN: 'name lookup failed for now',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed before the answer ended',
  UND_ERR_SOCKET: 'connection closed by the other side',
};

/**
 * How one attempt failed, in a few words: `503 Service Unavailable`, `connection reset`, `no
 * answer within the cluster timeout`. Pure.
 */
export function describeFailure(failure: RequestFailure): string {
  switch (failure.kind) {
    case 'status': {
      const text = STATUS_CODES[failure.status];
      return text ? `${failure.status} ${text}` : `HTTP ${failure.status}`;
    }
    case 'connection':
      return (
        CONNECTION_FAILURES[failure.code] ?? `connection error ${failure.code}`
      );
    default:
      return 'no answer within the cluster timeout';
  }
}
