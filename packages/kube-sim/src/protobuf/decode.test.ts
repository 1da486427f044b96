import { ProtoWriter } from '../api/proto-writer';
import { decodeKubernetesProtobuf } from './decode';

/** Builds a body as kubectl 1.32+ sends it: magic, runtime.Unknown{typeMeta, raw}. */
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const w = new ProtoWriter()
    .message(1, t => t.string(1, apiVersion).string(2, kind))
    .bytes(2, raw)
    .string(4, 'application/vnd.kubernetes.protobuf');
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), w.finish()]);
}

const mapEntry = (w: ProtoWriter, field: number, k: string, v: string) =>
  w.message(field, e => e.string(1, k).string(2, v));

describe('Kubernetes protobuf request bodies', () => {
  it('decodes a Deployment as kubectl create deployment sends it', () => {
    const raw = new ProtoWriter()
      .message(1, m => {
        m.string(1, 'web');
        mapEntry(m, 11, 'app', 'web');
        m.message(8, () => {}); // zero creationTimestamp
      })
      .message(2, spec =>
        spec
          .int(1, 2)
          .message(2, sel => mapEntry(sel, 1, 'app', 'web'))
          .message(3, tpl =>
            tpl
              .message(1, m => mapEntry(m, 11, 'app', 'web'))
              .message(2, ps =>
                ps.message(2, c =>
                  c
                    .string(1, 'nginx')
                    .string(2, 'nginx:1.25')
                    .message(6, p => p.int(3, 80).string(4, 'TCP'))
                    .message(8, r =>
                      r.message(2, e =>
                        e.string(1, 'cpu').message(2, q => q.string(1, '10m')),
                      ),
                    ),
                ),
              ),
          )
          .message(4, () => {}),
      )
      .message(3, () => {})
      .finish();
    expect(
      decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw)),
    ).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.25',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                resources: { requests: { cpu: '10m' } },
              },
            ],
          },
        },
        strategy: {},
      },
    });
  });

  it('decodes secrets (bytes as base64), int-or-string ports and inlined ingress rules', () => {
    const secret = new ProtoWriter()
      .message(1, m => m.string(1, 's'))
      .message(2, e => e.string(1, 'k').bytes(2, Buffer.from('v')))
      .string(3, 'Opaque')
      .finish();
    expect(decodeKubernetesProtobuf(envelope('v1', 'Secret', secret))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { k: 'dg==' },
      type: 'Opaque',
    });
    const svc = new ProtoWriter()
      .message(1, m => m.string(1, 'svc'))
      .message(2, spec =>
        spec
          .message(1, p =>
            p
              .string(1, 'http')
              .int(3, 80)
              .message(4, ios => ios.int(1, 1).string(3, 'web')),
          )
          .string(4, 'ClusterIP'),
      )
      .finish();
    expect(
      decodeKubernetesProtobuf(envelope('v1', 'Service', svc)).spec,
    ).toEqual({
      ports: [{ name: 'http', port: 80, targetPort: 'web' }],
      type: 'ClusterIP',
    });
    const ing = new ProtoWriter()
      .message(1, m => m.string(1, 'i'))
      .message(2, spec =>
        spec.message(3, rule =>
          rule.string(1, 'foo.com').message(2, rv =>
            rv.message(1, http =>
              http.message(1, p =>
                p
                  .string(1, '/')
                  .string(3, 'Exact')
                  .message(2, b =>
                    b.message(4, s =>
                      s.string(1, 'svc').message(2, port => port.int(2, 80)),
                    ),
                  ),
              ),
            ),
          ),
        ),
      )
      .finish();
    expect(
      decodeKubernetesProtobuf(envelope('networking.k8s.io/v1', 'Ingress', ing))
        .spec,
    ).toEqual({
      rules: [
        {
          host: 'foo.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Exact',
                backend: { service: { name: 'svc', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('refuses kinds it has no field table for', () => {
    expect(() =>
      decodeKubernetesProtobuf(envelope('v1', 'Node', Buffer.alloc(0))),
    ).toThrow('protobuf bodies of kind Node are not supported');
    expect(() => decodeKubernetesProtobuf(Buffer.from('{}'))).toThrow(
      'not a Kubernetes protobuf message',
    );
  });
});
