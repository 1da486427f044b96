import net from 'node:net';

/**
 * A TCP proxy in front of an API server that a test can cut (every open connection dies, as
 * when a load balancer or the server restarts) or take down (new connections are refused until
 * it comes back), and that counts the HTTP requests passing through by their first line.
 */
export async function startTcpProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  let down = false;
  const server = net.createServer(client => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', chunk => {
      const text = chunk.toString('latin1');
      const line = /^(GET|POST|PATCH|PUT|DELETE) (\S+) HTTP\/1\.1/m.exec(text);
      if (line) requests.push(`${line[1]} ${line[2]}`);
    });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    /** Request lines (`GET /api/v1/pods?...`) seen so far. */
    requests,
    /** Destroys every open connection. */
    cut(): void {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    /** Cuts everything and refuses new connections until {@link up}. */
    down(): void {
      down = true;
      this.cut();
    },
    up(): void {
      down = false;
    },
    close(): Promise<void> {
      this.cut();
      return new Promise(resolve => server.close(() => resolve()));
    },
  };
}
