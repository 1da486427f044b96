import * as grpc from '@grpc/grpc-js';
import { runLoad } from '../run';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  grpcAddress,
  HEALTH_CHECK_METHOD,
} from './grpc';

jest.setTimeout(60_000);

const identity = (b: Buffer) => b;

/** A gRPC server with the standard health service, written without protobuf files. */
async function startHealthServer(): Promise<{
  port: number;
  calls: string[];
  close: () => void;
}> {
  const calls: string[] = [];
  const server = new grpc.Server();
  const definition: grpc.ServiceDefinition = {
    Check: {
      path: HEALTH_CHECK_METHOD,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
  server.addService(definition, {
    Check: (
      call: grpc.ServerUnaryCall<Buffer, Buffer>,
      callback: grpc.sendUnaryData<Buffer>,
    ) => {
      // Field 1 (string service) is tag 0x0a, length, bytes.
      const service =
        call.request.length > 2 ? call.request.subarray(2).toString() : '';
      calls.push(service);
      if (service === 'unknown')
        callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
      else callback(null, Buffer.from([0x08, service === 'down' ? 2 : 1]));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    ),
  );
  return { port, calls, close: () => server.forceShutdown() };
}

describe('gRPC health check', () => {
  it('encodes and decodes the health messages', () => {
    expect(encodeHealthCheckRequest('')).toEqual(Buffer.alloc(0));
    expect(encodeHealthCheckRequest('abc')).toEqual(
      Buffer.from([0x0a, 3, 0x61, 0x62, 0x63]),
    );
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 1]))).toBe('SERVING');
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 2]))).toBe(
      'NOT_SERVING',
    );
    expect(decodeHealthCheckResponse(Buffer.alloc(0))).toBe('UNKNOWN');
    expect(grpcAddress('grpc://localhost:5000')).toEqual({
      address: 'localhost:5000',
      secure: false,
    });
    expect(grpcAddress('grpcs://example.com')).toEqual({
      address: 'example.com:443',
      secure: true,
    });
    expect(grpcAddress('127.0.0.1:7070')).toEqual({
      address: '127.0.0.1:7070',
      secure: false,
    });
  });

  it('loads a grpc-js server and counts serving statuses', async () => {
    const srv = await startHealthServer();
    try {
      const r = await runLoad({
        targets: [{ url: `127.0.0.1:${srv.port}` }],
        grpc: {},
        connections: 2,
        count: 100,
      });
      expect(r.config.protocol).toBe('grpc');
      expect(r.statusCodes).toEqual({ SERVING: 100 });
      expect(r.requests.ok).toBe(100);
      expect(srv.calls).toHaveLength(100);
      expect(r.latencyMs.p50).toBeGreaterThan(0);

      const rate = await runLoad({
        targets: [{ url: `grpc://127.0.0.1:${srv.port}` }],
        grpc: { service: 'down' },
        connections: 2,
        rate: 100,
        count: 50,
      });
      expect(rate.statusCodes).toEqual({ NOT_SERVING: 50 });
      expect(rate.requests.failed).toBe(50);

      const unknown = await runLoad({
        targets: [{ url: `127.0.0.1:${srv.port}` }],
        grpc: { service: 'unknown' },
        connections: 1,
        count: 3,
      });
      expect(unknown.statusCodes).toEqual({ NOT_FOUND: 3 });
    } finally {
      srv.close();
    }
  });

  it('dials a pinned address while keeping the target name as authority', async () => {
    const srv = await startHealthServer();
    try {
      // health.invalid resolves nowhere: only the pin can get the calls to the server.
      const r = await runLoad({
        targets: [{ url: `grpc://health.invalid:${srv.port}` }],
        grpc: {},
        connections: 1,
        count: 5,
        resolve: [`health.invalid:${srv.port}:127.0.0.1`],
      });
      expect(r.statusCodes).toEqual({ SERVING: 5 });
      expect(srv.calls).toHaveLength(5);
    } finally {
      srv.close();
    }
  });

  it('reports an unreachable server as refused', async () => {
    const r = await runLoad({
      targets: [{ url: '127.0.0.1:1' }],
      grpc: {},
      connections: 1,
      count: 3,
      timeoutMs: 1000,
    });
    expect(r.errors).toMatchObject({ refused: 3, total: 3 });
  });
});
