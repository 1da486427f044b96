import { createSnapshot } from './analysis';
import type { KubeObject } from './kube';
import {
  podTemplates,
  podTemplatesMatching,
  selectorMatches,
} from './workloads';

function deployment(ns: string, name: string, labels: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { template: { metadata: { labels }, spec: { containers: [] } } },
  } as unknown as KubeObject;
}

describe('podTemplatesMatching', () => {
  const snapshot = createSnapshot([
    deployment('shop', 'cart', { app: 'cart', version: 'v1' }),
    deployment('shop', 'cart-v2', { app: 'cart', version: 'v2' }),
    deployment('shop', 'web', { app: 'web' }),
    deployment('other', 'cart', { app: 'cart', version: 'v1' }),
  ]);
  const names = (ts: ReturnType<typeof podTemplates>) =>
    ts.map(t => `${t.owner.metadata.namespace}/${t.owner.metadata.name}`);

  // The index must answer exactly what a scan with selectorMatches answers, in the same order.
  it.each([
    [{ matchLabels: { app: 'cart' } }, 'shop'],
    [{ matchLabels: { app: 'cart', version: 'v2' } }, 'shop'],
    [{ matchLabels: { app: 'cart' } }, undefined],
    [
      {
        matchLabels: { app: 'cart' },
        matchExpressions: [
          { key: 'version', operator: 'NotIn', values: ['v1'] },
        ],
      },
      'shop',
    ],
    [
      { matchExpressions: [{ key: 'version', operator: 'DoesNotExist' }] },
      'shop',
    ],
    [{}, 'shop'],
    [undefined, 'other'],
    [{ matchLabels: { app: 'nope' } }, 'shop'],
  ])('%j in %s matches what a scan does', (selector, ns) => {
    expect(names(podTemplatesMatching(snapshot, selector as any, ns))).toEqual(
      names(
        podTemplates(snapshot, ns).filter(t =>
          selectorMatches(selector as any, t.labels),
        ),
      ),
    );
  });
});
