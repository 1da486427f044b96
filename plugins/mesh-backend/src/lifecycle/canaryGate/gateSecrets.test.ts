import type { Plan } from '@meshstage/plugin-mesh-common';
import { SecretBox } from '../../benchmark/SecretBox';
import { profileInputSchema } from '../../benchmark/profileSchema';
import { sealSecretHeaders } from '../../benchmark/secretHeaders';
import type { Operation } from '../types';
import { maskOperationSecrets } from './gateSecrets';

const box = new SecretBox('a test passphrase of some length');

// A stored profile: its secret header values sealed, as the benchmark routes store them.
const profile = sealSecretHeaders(
  profileInputSchema.parse({
    name: 'gate',
    endpoints: [
      {
        url: 'http://echo.echo.svc.cluster.local:8080/',
        headers: { authorization: 'Bearer s3cret', 'x-team': 'a' },
        secretHeaders: ['authorization'],
      },
    ],
  }),
  box,
);

describe('maskOperationSecrets', () => {
  it("shows *** for a gate profile's secret headers in the plan, and keeps the sealed value stored", () => {
    const step = {
      type: 'benchmark',
      description: 'Benchmark',
      role: 'baseline',
      namespace: 'echo',
      revision: '1-29-6',
      version: '1.29.6',
      profile,
      profileId: '5b0e7f3c-2a41-4d8e-9c6f-1e2d3c4b5a69',
    };
    const operation = {
      id: 'op',
      request: {
        action: 'upgrade',
        gate: { profile: step.profileId, budget: {} },
      },
      plan: {
        summary: 's',
        steps: [step, { type: 'wait' }],
      } as unknown as Plan,
    } as unknown as Operation;
    const shown = maskOperationSecrets(operation) as any;
    expect(shown.plan.steps[0].profile.endpoints[0].headers).toEqual({
      authorization: '***',
      'x-team': 'a',
    });
    expect(shown.plan.steps[1]).toEqual({ type: 'wait' });
    expect(shown.request).toEqual(operation.request);
    expect(JSON.stringify(shown)).not.toMatch(/sealed:|s3cret/);
    const kept = (operation.plan.steps[0] as any).profile.endpoints[0].headers
      .authorization;
    expect(box.open(kept)).toBe('Bearer s3cret');
  });
});
