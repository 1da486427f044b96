import type { BenchmarkRunView } from '@meshstage/plugin-mesh-common';
import { defaultComparisonSelection } from './meshComparison';

const run = (
  id: string,
  mesh?: string,
  meshVersion?: string,
  state: BenchmarkRunView['state'] = 'succeeded',
) =>
  ({
    id,
    state,
    ...(mesh ? { mesh } : {}),
    ...(meshVersion ? { meshVersion } : {}),
  } as BenchmarkRunView);

describe('defaultComparisonSelection', () => {
  it('takes the newest no-mesh run as baseline and the newest run of each mesh and version', () => {
    expect(
      defaultComparisonSelection([
        run('r6', 'istio', '1.30.3'),
        run('r5', 'none-yet', undefined, 'failed'),
        run('r4', 'istio', '1.30.3'),
        run('r3'),
        run('r2', 'linkerd', 'edge-26.8.3'),
        run('r1'),
      ]),
    ).toEqual({ baseline: 'r3', others: ['r6', 'r2'] });
  });

  it('compares the two newest runs when none has a mesh', () => {
    expect(
      defaultComparisonSelection([run('r3'), run('r2'), run('r1')]),
    ).toEqual({ baseline: 'r3', others: ['r2'] });
  });

  it('without a no-mesh run, the first mesh run is the baseline', () => {
    expect(
      defaultComparisonSelection([
        run('r2', 'istio', '1.30.3'),
        run('r1', 'linkerd', 'edge-26.8.3'),
      ]),
    ).toEqual({ baseline: 'r2', others: ['r1'] });
  });

  it('selects nothing from fewer than one succeeded run', () => {
    expect(
      defaultComparisonSelection([run('r1', undefined, undefined, 'failed')]),
    ).toEqual({ baseline: undefined, others: [] });
  });
});
