/**
 * An undici connector that can open its first socket ahead of time, so TCP
 * and TLS handshakes happen before the load's clock starts (as wrk does)
 * instead of inflating the first requests' latency and bunching the
 * open-loop schedule.
 *
 * @packageDocumentation
 */
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import { lookupResolve, type ResolveMap } from './resolve';

/** A connector with a `prepare` step. */
export interface PreconnectingConnector {
  (options: buildConnector.Options, callback: buildConnector.Callback): void;
  /** Opens one socket now; the next connect uses it. Never rejects: a failure shows up on first use. */
  prepare(): Promise<void>;
}

/** Connect options undici would pass for `origin`. */
function optionsFor(origin: URL): buildConnector.Options {
  return {
    hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
    host: origin.host,
    protocol: origin.protocol,
    port: origin.port,
  };
}

/**
 * Wraps `buildConnector(build)` with a one-socket head start for `origin`.
 * With `pins`, a pinned `host:port` connects to its pinned address; the
 * connect options keep `host`, so undici still derives SNI from the name.
 */
export function preconnectingConnector(
  origin: URL,
  build: buildConnector.BuildOptions & { useH2c?: boolean },
  pins?: ResolveMap,
): PreconnectingConnector {
  const direct = buildConnector(build);
  const base: buildConnector.connector = (options, callback) => {
    const pin = lookupResolve(
      pins,
      options.hostname,
      options.port,
      options.protocol,
    );
    if (!pin) return direct(options, callback);
    return direct(
      { ...options, hostname: pin.address, port: String(pin.port) },
      callback,
    );
  };
  let spare: Socket | undefined;
  const connector = ((
    options: buildConnector.Options,
    callback: buildConnector.Callback,
  ) => {
    const s = spare;
    spare = undefined;
    if (s && !s.destroyed && s.readyState === 'open') {
      s.removeAllListeners('error');
      // undici resumes its queue from inside this callback and ignores a
      // resume while it is still connecting: answer asynchronously, as a real connect does.
      process.nextTick(() => callback(null, s));
      return;
    }
    base(options, callback);
  }) as PreconnectingConnector;
  connector.prepare = () =>
    new Promise<void>(resolve => {
      base(optionsFor(origin), (err, socket) => {
        if (!err && socket) {
          // Until undici adopts it, a spare that errors is simply dropped.
          socket.on('error', () => socket.destroy());
          spare = socket;
        }
        resolve();
      });
    });
  return connector;
}
