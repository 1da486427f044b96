import { checkCondition } from './waitConditions';

const deployment = (status: Record<string, unknown>, generation = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'istiod', generation },
  spec: { replicas: 2 },
  status,
});

describe('checkCondition', () => {
  it('Available needs the condition and enough available replicas', () => {
    const available = [{ type: 'Available', status: 'True' }];
    expect(
      checkCondition(
        deployment({ availableReplicas: 1, conditions: available }),
        'Available',
      ),
    ).toEqual({
      reached: false,
      observed: 'availableReplicas 1/2, Available=True',
    });
    expect(
      checkCondition(
        deployment({ availableReplicas: 2, conditions: available }),
        'Available',
      ).reached,
    ).toBe(true);
    expect(checkCondition(undefined, 'Available')).toEqual({
      reached: false,
      observed: 'does not exist',
    });
  });

  it('RolloutComplete waits for the new generation to be observed and fully rolled out', () => {
    const done = {
      observedGeneration: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      replicas: 2,
    };
    expect(checkCondition(deployment(done), 'RolloutComplete').reached).toBe(
      true,
    );
    expect(
      checkCondition(deployment(done, 3), 'RolloutComplete'),
    ).toMatchObject({
      reached: false,
      observed: expect.stringContaining('generation 2/3'),
    });
    expect(
      checkCondition(deployment({ ...done, replicas: 3 }), 'RolloutComplete')
        .reached,
    ).toBe(false);
  });

  it('Established reads the CRD condition; Deleted holds once the object is gone', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'x' },
      status: { conditions: [{ type: 'Established', status: 'True' }] },
    };
    expect(checkCondition(crd, 'Established').reached).toBe(true);
    expect(checkCondition(crd, 'Deleted')).toEqual({
      reached: false,
      observed: 'still exists',
    });
    expect(checkCondition(undefined, 'Deleted').reached).toBe(true);
  });
});
