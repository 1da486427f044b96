import {
  createSnapshot,
  inputResource,
  isClusterScoped,
  jsonPointer,
  objectIdentity,
} from './analysis';
import { podTemplates, selectorMatches } from './workloads';

describe('analyzer API helpers', () => {
  it('indexes a snapshot by group and kind, version-independent, later objects winning', () => {
    const s = createSnapshot([
      {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name: 'a', namespace: 'x' },
        spec: { v: 1 },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'a', namespace: 'x' },
        spec: { v: 2 },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'b', namespace: 'y' },
      },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'z' } },
    ]);
    expect(
      s
        .list('networking.istio.io/v1alpha3', 'VirtualService')
        .map(o => o.metadata.name),
    ).toEqual(['a', 'b']);
    expect(
      s.list('networking.istio.io/v1', 'VirtualService', 'x')[0].spec,
    ).toEqual({ v: 2 });
    expect(
      s.get('networking.istio.io/v1', 'VirtualService', 'y', 'b'),
    ).toBeDefined();
    expect(
      s.get('networking.istio.io/v1', 'VirtualService', 'x', 'b'),
    ).toBeUndefined();
    expect(s.get('v1', 'Namespace', 'ignored', 'z')).toBeDefined();
    expect(s.namespaces()).toEqual(['x', 'y', 'z']);
  });

  it('derives API paths and identities', () => {
    expect(
      inputResource({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
      }),
    ).toEqual({
      group: 'security.istio.io',
      version: 'v1',
      plural: 'authorizationpolicies',
    });
    expect(inputResource({ apiVersion: 'v1', kind: 'Service' })).toEqual({
      group: '',
      version: 'v1',
      plural: 'services',
    });
    expect(
      inputResource({
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        plural: 'serviceentries',
      }).plural,
    ).toBe('serviceentries');
    expect(isClusterScoped('v1', 'Namespace')).toBe(true);
    expect(
      objectIdentity({
        apiVersion: 'v1',
        kind: 'Namespace',
        namespace: 'n',
        name: 'a',
      }),
    ).toBe('/Namespace//a');
    expect(jsonPointer('metadata', 'annotations', 'linkerd.io/inject')).toBe(
      '/metadata/annotations/linkerd.io~1inject',
    );
  });

  it('finds pod templates once per workload and matches selectors', () => {
    const s = createSnapshot([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', namespace: 'n' },
        spec: {
          template: {
            metadata: { labels: { app: 'd' } },
            spec: { containers: [] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'd-1',
          namespace: 'n',
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: 'd-x',
              uid: '1',
            },
          ],
        },
        spec: { containers: [] },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c', namespace: 'n' },
        spec: {
          jobTemplate: { spec: { template: { spec: { containers: [] } } } },
        },
      },
    ]);
    expect(podTemplates(s).map(t => [t.owner.kind, t.specPath])).toEqual([
      ['Deployment', '/spec/template/spec'],
      ['CronJob', '/spec/jobTemplate/spec/template/spec'],
    ]);
    expect(
      selectorMatches(
        {
          matchLabels: { app: 'd' },
          matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }],
        },
        { app: 'd' },
      ),
    ).toBe(true);
    expect(
      selectorMatches(
        {
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }],
        },
        { app: 'd' },
      ),
    ).toBe(false);
  });
});
