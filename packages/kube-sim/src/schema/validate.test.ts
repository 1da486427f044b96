import { builtinSchemas } from './builtin-schemas';
import { REF_PREFIX, Schema } from './types';
import { checkAgainstSchema } from './validate';
import { formatFieldError } from '../validation/field-errors';

const defs = builtinSchemas();
const deployment = { $ref: `${REF_PREFIX}io.k8s.api.apps.v1.Deployment` };

describe('schema checks of built-in kinds', () => {
  it('finds unknown fields and prunes them', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', bogus: 1 },
      spec: {
        foo: 'bar',
        replicas: 1,
        template: {
          spec: {
            containers: [
              {
                name: 'c',
                image: 'i',
                imagePullPolicy: 'Always',
                resources: { requests: { cpu: '1' } },
                colour: 'red',
              },
            ],
            affinity: { anything: { goes: true } },
          },
        },
      },
    };
    const r = checkAgainstSchema(obj, deployment, { defs, prune: true });
    expect(r.unknownFields).toEqual([
      'metadata.bogus',
      'spec.foo',
      'spec.template.spec.containers[0].colour',
    ]);
    expect(obj.spec).not.toHaveProperty('foo');
    expect(
      (obj.spec.template.spec.affinity as Record<string, unknown>).anything,
    ).toEqual({ goes: true });
  });

  it('reports JSON type mismatches', () => {
    const r = checkAgainstSchema({ spec: { replicas: 'three' } }, deployment, {
      defs,
    });
    expect(r.typeMismatches).toEqual([
      expect.objectContaining({
        path: 'spec.replicas',
        structName: 'DeploymentSpec',
        jsonType: 'string',
        expected: 'int32',
      }),
    ]);
    expect(
      checkAgainstSchema(
        { spec: { strategy: { rollingUpdate: { maxSurge: '25%' } } } },
        deployment,
        { defs },
      ).typeMismatches,
    ).toEqual([]);
    expect(
      checkAgainstSchema(
        { spec: { strategy: { rollingUpdate: { maxSurge: 2 } } } },
        deployment,
        { defs },
      ).typeMismatches,
    ).toEqual([]);
  });
});

describe('CRD structural schemas', () => {
  const schema: Schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'integer', minimum: 1, maximum: 10 },
          mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
          name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
          free: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
          nullable: { type: 'string', nullable: true },
        },
      },
    },
  };

  it('validates values and applies defaults', () => {
    const obj = {
      spec: {
        size: 0,
        name: 'ABCDEFG',
        tags: ['a', 'b', 'c'],
        free: { x: { y: 1 } },
        extra: true,
        nullable: null,
      },
    };
    const r = checkAgainstSchema(obj, schema, {
      defs: {},
      crd: true,
      prune: true,
    });
    expect(r.unknownFields).toEqual(['spec.extra']);
    expect(obj.spec).toMatchObject({
      mode: 'a',
      free: { x: { y: 1 } },
      nullable: null,
    });
    expect(r.fieldErrors.map(formatFieldError)).toEqual([
      'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
      'spec.name: Too long: may not be more than 5 bytes',
      'spec.name: Invalid value: "ABCDEFG": spec.name in body should match \'^[a-z]+$\'',
      'spec.tags: Too many: must have at most 2 items',
    ]);
    const missing = checkAgainstSchema({ spec: { mode: 'c' } }, schema, {
      defs: {},
      crd: true,
      prune: true,
    });
    expect(missing.fieldErrors.map(formatFieldError)).toEqual([
      'spec.mode: Unsupported value: "c": supported values: "a", "b"',
      'spec.size: Required value',
    ]);
    const wrongType = checkAgainstSchema({ spec: { size: 'x' } }, schema, {
      defs: {},
      crd: true,
      prune: true,
    });
    expect(wrongType.fieldErrors.map(formatFieldError)).toEqual([
      'spec.size: Invalid value: "x": spec.size in body must be of type integer: "string"',
    ]);
  });
});
