import { planText } from './planText';

describe('planText', () => {
  it('is the summary and one numbered line per step', () => {
    const target = { apiVersion: 'v1', kind: 'Namespace', name: 'shop' };
    expect(
      planText({
        request: {
          action: 'onboard',
          mesh: 'istio',
          cluster: 'dev',
          namespace: 'shop',
        },
        summary: 'Onboard namespace shop to Istio on dev',
        steps: [
          {
            type: 'patch',
            description: 'Patch Namespace/shop',
            target,
            patch: {},
            reason: 'x',
          },
          {
            type: 'wait',
            description: 'Wait for it',
            target,
            condition: 'Available',
            timeoutSeconds: 5,
          },
        ],
      }),
    ).toBe(
      'Onboard namespace shop to Istio on dev\n1. Patch Namespace/shop\n2. Wait for it',
    );
  });

  it('says when there is nothing to do', () => {
    expect(
      planText({
        request: { action: 'reconcile', mesh: 'istio', cluster: 'dev' },
        summary: 'Reconcile',
        steps: [],
      }),
    ).toBe('Reconcile\n(nothing to do)');
  });
});
