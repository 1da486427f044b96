import { describeFailure } from './describeFailure';

describe('describeFailure', () => {
  it.each([
    [{ kind: 'status', status: 503 } as const, '503 Service Unavailable'],
    [{ kind: 'status', status: 429 } as const, '429 Too Many Requests'],
    [{ kind: 'status', status: 599 } as const, 'HTTP 599'],
    [{ kind: 'connection', code: 'ECONNRESET' } as const, 'connection reset'],
    [
      { kind: 'connection', code: 'ECONNREFUSED' } as const,
      'connection refused',
    ],
    [
      { kind: 'connection', code: 'EWHATEVER' } as const,
      'connection error EWHATEVER',
    ],
    [{ kind: 'timeout' } as const, 'no answer within the cluster timeout'],
  ])('describes %j as %p', (failure, text) => {
    expect(describeFailure(failure)).toBe(text);
  });
});
