import type { RetriedRequest } from '../cluster';
import { describeRetries } from './describeRetries';

const retried = (
  request: string,
  failures: string[],
  answered = true,
): RetriedRequest => ({
  request,
  attempts: failures.length + (answered ? 1 : 0),
  failures,
  answered,
});

describe('describeRetries', () => {
  it('says nothing when no request was retried', () => {
    expect(describeRetries([])).toBeUndefined();
  });

  it('names the request, its attempts and why each retried attempt failed', () => {
    expect(
      describeRetries([
        retried('apply /api/v1/namespaces/istio-system/configmaps/istio', [
          '503 Service Unavailable',
          'connection reset',
        ]),
      ]),
    ).toBe(
      'apply /api/v1/namespaces/istio-system/configmaps/istio after 3 attempts (2 retried: 503 Service Unavailable, connection reset)',
    );
  });

  it('counts a repeated reason, and the same request made several times (a wait step polling) once', () => {
    const poll = 'GET /apis/apps/v1/namespaces/istio-system/deployments/istiod';
    expect(
      describeRetries([
        retried('apply /x', ['429 Too Many Requests', '429 Too Many Requests']),
        retried(poll, ['503 Service Unavailable']),
        retried(poll, ['503 Service Unavailable', 'connection reset']),
      ]),
    ).toBe(
      `apply /x after 3 attempts (2 retried: 429 Too Many Requests ×2); ${poll} (2 times) after 5 attempts (3 retried: 503 Service Unavailable ×2, connection reset)`,
    );
  });

  it('says when the retries did not help', () => {
    expect(
      describeRetries([
        retried('GET /a', Array(4).fill('500 Internal Server Error'), false),
      ]),
    ).toBe('GET /a failed after 4 attempts (500 Internal Server Error ×4)');
    expect(
      describeRetries([
        retried('GET /a', ['500 Internal Server Error'], false),
        retried('GET /a', ['connection reset']),
      ]),
    ).toBe(
      'GET /a (2 times) after 3 attempts, 1 of them failing (500 Internal Server Error, connection reset)',
    );
  });

  it('names at most five requests in one line', () => {
    const many = [1, 2, 3, 4, 5, 6, 7].map(i =>
      retried(`GET /${i}`, ['connection reset']),
    );
    const line = describeRetries(many)!;
    expect(line.split('; ')).toHaveLength(6);
    expect(line).toMatch(
      /GET \/5 after 2 attempts \(1 retried: connection reset\); and 2 more requests retried$/,
    );
  });
});
