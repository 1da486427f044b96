import { MeshApiError } from './MeshApiError';

describe('MeshApiError.fromResponse', () => {
  it("puts the backend's message first and keeps the 409's holder", () => {
    const body = {
      error: {
        name: 'ConflictError',
        message:
          "Operation 6d37 is in progress on cluster 'dev' for mesh 'istio'",
      },
      request: { method: 'POST', url: '/operations' },
      response: { statusCode: 409 },
      operationId: '6d37',
    };
    const e = MeshApiError.fromResponse(
      'POST',
      '/operations',
      409,
      JSON.stringify(body),
    );
    expect(e.message).toBe(
      "Operation 6d37 is in progress on cluster 'dev' for mesh 'istio' [mesh backend: POST /operations answered 409 ConflictError]",
    );
    expect(e).toMatchObject({ status: 409, errorName: 'ConflictError' });
    expect(e.body?.operationId).toBe('6d37');
  });

  it('shows the start of a body that is not Backstage JSON', () => {
    const e = MeshApiError.fromResponse(
      'GET',
      '/status',
      502,
      '<html>Bad gateway</html>',
    );
    expect(e.message).toBe(
      '<html>Bad gateway</html> [mesh backend: GET /status answered 502]',
    );
    expect(MeshApiError.fromResponse('GET', '/x', 500, '').message).toBe(
      'no error message [mesh backend: GET /x answered 500]',
    );
  });
});
