import { builtinSchemas } from '../schema/builtin-schemas';
import { SchemaCursor } from '../schema/cursor';
import { REF_PREFIX } from '../schema/types';
import { applyStrategicMergePatch } from './strategic-merge';

const deploymentCursor = new SchemaCursor(
  { $ref: `${REF_PREFIX}io.k8s.api.apps.v1.Deployment` },
  builtinSchemas(),
);

const live = {
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', value: '1' }],
          },
          { name: 'side', image: 'busybox' },
        ],
        volumes: [{ name: 'v', emptyDir: {} }],
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
  },
};

const containers = (o: unknown) =>
  (
    o as {
      spec: {
        template: {
          spec: {
            containers: { name: string; image: string; env?: unknown[] }[];
          };
        };
      };
    }
  ).spec.template.spec.containers;

describe('strategic merge patch', () => {
  it('merges containers by name (kubectl set image)', () => {
    const out = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'web', image: 'nginx:2' }] },
          },
        },
      },
      deploymentCursor,
    );
    expect(containers(out).map(c => `${c.name}=${c.image}`)).toEqual([
      'web=nginx:2',
      'side=busybox',
    ]);
    expect(containers(out)[0].env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('appends new list items and deletes with $patch: delete', () => {
    const out = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'new', image: 'x' },
                { name: 'side', $patch: 'delete' },
              ],
            },
          },
        },
      },
      deploymentCursor,
    );
    expect(containers(out).map(c => c.name)).toEqual(['web', 'new']);
  });

  it('honours $setElementOrder, $deleteFromPrimitiveList, $retainKeys and $patch: replace', () => {
    const out = applyStrategicMergePatch(
      live,
      {
        metadata: {
          $deleteFromPrimitiveList: undefined,
          '$deleteFromPrimitiveList/finalizers': ['a'],
        },
        spec: {
          strategy: { $retainKeys: ['type'], type: 'Recreate' },
          template: {
            spec: {
              '$setElementOrder/containers': [
                { name: 'side' },
                { name: 'web' },
              ],
              containers: [{ name: 'web', env: [{ name: 'B', value: '2' }] }],
              volumes: [{ name: 'only', emptyDir: {} }, { $patch: 'replace' }],
            },
          },
        },
      },
      deploymentCursor,
    ) as typeof live;
    expect(out.metadata.finalizers).toEqual([]);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(containers(out).map(c => c.name)).toEqual(['side', 'web']);
    expect(containers(out)[1].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(out.spec.template.spec.volumes).toEqual([
      { name: 'only', emptyDir: {} },
    ]);
  });

  it('deletes fields set to null and replaces lists without a merge strategy', () => {
    const out = applyStrategicMergePatch(
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'a', args: ['1', '2'], image: 'i' }] },
          },
        },
        metadata: { labels: { x: '1', y: '2' } },
      },
      {
        metadata: { labels: { x: null } },
        spec: {
          template: { spec: { containers: [{ name: 'a', args: ['3'] }] } },
        },
      },
      deploymentCursor,
    ) as { metadata: { labels: Record<string, string> } };
    expect(out.metadata.labels).toEqual({ y: '2' });
    expect(containers(out)[0]).toEqual({ name: 'a', args: ['3'], image: 'i' });
  });
});
