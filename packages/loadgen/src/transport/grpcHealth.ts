/** Method path of the standard gRPC health check (apart from grpc.ts: options read it without loading @grpc/grpc-js). */
export const HEALTH_CHECK_METHOD = '/grpc.health.v1.Health/Check';
