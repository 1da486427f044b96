/**
 * Resolves every target host once, refuses the run when any address it
 * resolves to is forbidden (see `forbiddenAddressReason`), and pins each host
 * to the address it checked, so that a name cannot be pointed elsewhere
 * between the check and the connections (DNS rebinding).
 *
 * @packageDocumentation
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { forbiddenAddressReason } from './addressPolicy';
import { grpcAddress } from './grpc';
import { resolveKey, type ResolveMap } from './resolve';

/** A target the guard refused; the message is one line naming the target. */
export class ForbiddenTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenTargetError';
  }
}

/** Every address a host name resolves to (as `dns.lookup` with `all`). */
export type LookupAll = (host: string) => Promise<string[]>;

const systemLookup: LookupAll = async host =>
  (await dnsLookup(host, { all: true, verbatim: true })).map(a => a.address);

/** Host and port of a target URL (gRPC also takes a bare `host:port`). */
function hostPort(url: string, grpc: boolean): { host: string; port: number } {
  if (grpc) {
    const { address } = grpcAddress(url);
    const m = /^(.*):(\d+)$/.exec(address)!;
    return {
      host: m[1].replace(/^\[(.*)\]$/, '$1').toLowerCase(),
      port: Number(m[2]),
    };
  }
  const u = new URL(url);
  const defaultPort = u.protocol === 'https:' ? 443 : 80;
  const port = u.port ? Number(u.port) : defaultPort;
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(),
    port,
  };
}

/**
 * Checks the targets' addresses and returns the pins to connect with: the
 * given pins (their addresses checked too) plus one per other host, to an
 * address it resolved to (the first IPv4 one, else the first). Throws {@link ForbiddenTargetError} when a
 * target is, or resolves to, a forbidden address, or does not resolve.
 */
export async function guardTargets(
  targets: ReadonlyArray<{ url: string }>,
  options: { grpc?: boolean; resolve?: ResolveMap; lookup?: LookupAll } = {},
): Promise<ResolveMap> {
  const lookup = options.lookup ?? systemLookup;
  const pins: ResolveMap = { ...options.resolve };
  const checked = new Set<string>();
  for (const target of targets) {
    const { host, port } = hostPort(target.url, Boolean(options.grpc));
    const key = resolveKey(host, port);
    if (checked.has(key)) continue;
    checked.add(key);
    const pinned = pins[key];
    const name = pinned ? pinned.address : host;
    let addresses: string[];
    if (isIP(name)) {
      addresses = [name];
    } else {
      try {
        addresses = await lookup(name);
      } catch (e) {
        throw new ForbiddenTargetError(
          `cannot resolve ${name} (target ${target.url}): ${
            (e as { code?: string }).code ?? (e as Error).message
          }`,
        );
      }
      if (!addresses.length) {
        throw new ForbiddenTargetError(
          `${name} resolves to no address (target ${target.url})`,
        );
      }
    }
    for (const address of addresses) {
      const why = forbiddenAddressReason(address);
      if (why) {
        const via = address === name ? '' : ` (${name} resolves to it)`;
        throw new ForbiddenTargetError(
          `target ${target.url} is refused: ${address}${via} is ${why}`,
        );
      }
    }
    // One address is pinned; IPv4 first, as servers bound for a test mostly listen there.
    const chosen = addresses.find(a => isIP(a) === 4) ?? addresses[0];
    pins[key] = { address: chosen, port: pinned ? pinned.port : port };
  }
  return pins;
}
