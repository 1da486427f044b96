/**
 * `meshperf server [--port <n>] [--host <h>]`: runs the echo server until
 * interrupted (SIGINT/SIGTERM via the signal), as fortio's `fortio server`.
 *
 * @packageDocumentation
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import type { CliIo } from '../cli';
import { startEchoServer } from './echo';

/** Usage of `meshperf server`. */
export const SERVER_USAGE = `Usage: meshperf server [--port <n>] [--host <h>]

Answers every request with a JSON description of it (HTTP/1.1 and h2c).
Knobs: ?delay=50ms[:pct][,...]  ?status=503[:pct][,...]  ?close=true
GET /healthz answers 200.

  --port <n>   port (default: $PORT, else 8080; 0 picks a free port)
  --host <h>   address (default: $HOST, else all interfaces)

Under kube-sim, KUBE_SIM_PORT_MAP (containerPort=hostPort,...) maps the port
asked for to the loopback port kube-sim allocated for it.
`;

/** Parses `KUBE_SIM_PORT_MAP` (`8080=41234,9090=41235`); bad entries are ignored. */
export function parsePortMap(text: string | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^\s*(\d+)=(\d+)\s*$/.exec(part);
    if (m) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

/** The port to listen on: the flag, else $PORT, else 8080; then mapped through KUBE_SIM_PORT_MAP. */
export function serverPort(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): number {
  const text = flag ?? env.PORT ?? '8080';
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new Error(`invalid port "${text}": want a number from 0 to 65535`);
  const asked = Number(text);
  return parsePortMap(env.KUBE_SIM_PORT_MAP).get(asked) ?? asked;
}

/** Runs the echo server command; resolves to the exit code once the signal stops it. */
export async function runServerCli(
  argv: string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const fail = (line: string) => {
    io.stderr.write(`meshperf server: ${line}\n`);
    return 2;
  };
  let port: number;
  let host: string | undefined;
  try {
    const { values } = nodeParseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(SERVER_USAGE);
      return 0;
    }
    port = serverPort(values.port, io.env);
    host = values.host ?? (io.env.HOST || undefined);
  } catch (e) {
    return fail(String((e as Error).message).split('\n')[0]);
  }
  let server;
  try {
    server = await startEchoServer({ port, host });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.stderr.write(
      `meshperf server: cannot listen on ${host ?? '*'}:${port}: ${
        err.code ?? err.message
      }\n`,
    );
    return 3;
  }
  io.stdout.write(
    `meshperf server listening on ${host ?? '*'}:${server.port}\n`,
  );
  await new Promise<void>(resolve => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  io.stdout.write(`meshperf server stopped after ${server.served} requests\n`);
  return 0;
}
