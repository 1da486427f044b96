import { createServer, AddressInfo } from 'node:net';

const recent = new Set<number>();

/**
 * A free loopback port: bound and released at once, then handed out (the
 * process binds it a moment later). Ports handed out recently are not
 * handed out again, so two containers starting together never share one.
 */
export async function freeLoopbackPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (recent.has(port)) continue;
    recent.add(port);
    if (recent.size > 1000) recent.delete(recent.values().next().value!);
    return port;
  }
}
