import { Registry } from '../api/registry';
import { strategyFor, validateObjectMeta } from '../kinds/strategies';
import { formatFieldError, goValue, invalidError } from './field-errors';
import { dns1035Label, dns1123Subdomain, qualifiedName } from './names';

const registry = new Registry();
const type = (g: string, p: string) =>
  registry.all().find(t => t.group === g && t.plural === p)!;
const errs = (g: string, p: string, obj: Record<string, unknown>) => {
  const t = type(g, p);
  return [
    ...validateObjectMeta(t, obj),
    ...(strategyFor(t).validate?.(obj) ?? []),
  ].map(formatFieldError);
};

describe('object validation', () => {
  it('validates names', () => {
    expect(dns1123Subdomain('web.example')).toEqual([]);
    expect(dns1123Subdomain('Bad_Name')[0]).toMatch(
      /^a lowercase RFC 1123 subdomain must consist of/,
    );
    expect(dns1035Label('1abc')[0]).toMatch(/^a DNS-1035 label/);
    expect(qualifiedName('example.com/name')).toEqual([]);
    expect(qualifiedName('a/b/c')).toHaveLength(1);
    expect(errs('', 'configmaps', { metadata: {} })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    expect(
      errs('', 'services', {
        metadata: { name: '1svc' },
        spec: { ports: [{ port: 80 }] },
      })[0],
    ).toMatch(/^metadata.name: Invalid value: "1svc": a DNS-1035 label/);
    expect(
      errs('', 'configmaps', {
        metadata: { name: 'x', labels: { 'bad key!': 'v' } },
      })[0],
    ).toMatch(/^metadata.labels: Invalid value: "bad key!"/);
  });

  it('validates deployments like the API server', () => {
    expect(
      errs('apps', 'deployments', {
        metadata: { name: 'd' },
        spec: {
          template: {
            metadata: { labels: { app: 'a' } },
            spec: { containers: [{ name: 'c', image: 'i' }] },
          },
        },
      }),
    ).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`',
    ]);
    expect(
      errs('apps', 'deployments', {
        metadata: { name: 'd' },
        spec: {
          replicas: -1,
          selector: { matchLabels: { app: 'a' } },
          template: {
            metadata: { labels: { app: 'a' } },
            spec: {
              containers: [
                { image: 'i' },
                { name: 'c', ports: [{ containerPort: 0 }] },
              ],
            },
          },
        },
      }),
    ).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.containers[0].name: Required value',
      'spec.template.spec.containers[1].image: Required value',
      'spec.template.spec.containers[1].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  it('validates services and config keys', () => {
    expect(
      errs('', 'services', {
        metadata: { name: 's' },
        spec: { ports: [{ port: 70000 }, { port: 81 }] },
      }),
    ).toEqual([
      'spec.ports[0].name: Required value',
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[1].name: Required value',
    ]);
    expect(
      errs('', 'configmaps', {
        metadata: { name: 'c' },
        data: { 'a b': 'x' },
      })[0],
    ).toMatch(/^data\[a b\]: Invalid value: "a b": a valid config key/);
  });

  it('builds Invalid Status errors with causes', () => {
    const e = invalidError('Deployment', 'apps', 'web', [
      { type: 'Required', field: 'spec.selector' },
    ]);
    expect(e.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Deployment.apps "web" is invalid: spec.selector: Required value',
      reason: 'Invalid',
      details: {
        name: 'web',
        group: 'apps',
        kind: 'Deployment',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.selector',
          },
        ],
      },
      code: 422,
    });
    expect(goValue({ b: [1, 'x'], a: true })).toBe(
      'map[string]interface {}{"a":true, "b":[]interface {}{1, "x"}}',
    );
  });
});
