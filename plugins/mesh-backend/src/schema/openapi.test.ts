import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  type HttpRouterServiceAuthPolicy,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FINDING_SEVERITIES,
  ONBOARDING_STATES,
} from '@meshstage/plugin-mesh-common';
import { parse } from 'yaml';
import { z } from 'zod';
import { meshPlugin } from '../plugin';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import {
  listQuerySchema,
  operationRequestSchema,
  runRequestSchema,
} from '../lifecycle/requestSchema';
import {
  findingsQuerySchema,
  scanBodySchema,
  scansQuerySchema,
  validateBodySchema,
} from '../validation/requestSchemas';
import { profileInputSchema } from '../benchmark/profileSchema';
import { EXPORT_FORMATS } from '../benchmark/resultView';
import { topologyQuerySchema } from '../topology';
import { DEFAULT_DEPTH } from '../topology/buildTopology';
import { onboardingQuerySchema } from '../onboarding/router';

// The OpenAPI description of the plugin's REST API (openapi.yaml beside this file) must stay
// complete: every route the routers define is documented, nothing else is, and the enums and
// defaults of the request schemas match the zod schemas the routers parse with.

type Json = Record<string, any>;

const spec: Json = parse(
  fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
);

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'head',
  'options',
  'trace',
];

/** Resolves a local `$ref` (`#/components/schemas/X`) inside the document. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) {
      return undefined;
    }
    node = (node as Json)[key];
  }
  return node;
}

function collectRefs(node: unknown, at: string, out: [string, string][]) {
  if (Array.isArray(node)) {
    node.forEach((n, i) => collectRefs(n, `${at}/${i}`, out));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push([at, value]);
      else collectRefs(value, `${at}/${key}`, out);
    }
  }
}

/** `METHOD /path/{param}` for every operation of the document. */
function specRoutes(): string[] {
  const routes: string[] = [];
  for (const [p, item] of Object.entries<Json>(spec.paths)) {
    for (const method of HTTP_METHODS) {
      if (item[method]) routes.push(`${method.toUpperCase()} ${p}`);
    }
  }
  return routes.sort();
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: ExpressLayer[] };
  regexp: RegExp & { fast_slash?: boolean };
}

/** The path an express 4 router layer is mounted at (`router.use('/x', sub)`). */
function mountPath(layer: ExpressLayer): string {
  if (layer.regexp.fast_slash) return '';
  // express 4 compiles `/a/b` to /^\/a\/b\/?(?=\/|$)/i
  const match = /^\^((?:\\\/[\w-]+)+)\\\/\?\(\?=\\\/\|\$\)$/.exec(
    layer.regexp.source,
  );
  if (!match) {
    throw new Error(
      `Cannot tell where a router is mounted: ${layer.regexp.source}`,
    );
  }
  return match[1].replace(/\\\//g, '/');
}

/** `METHOD /path/{param}` for every route of an express router and the routers it mounts. */
function expressRoutes(
  stack: ExpressLayer[],
  prefix = '',
  out: string[] = [],
): string[] {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path)
        ? layer.route.path
        : [layer.route.path];
      for (const p of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (!on || method === '_all') continue;
          out.push(
            `${method.toUpperCase()} ${(prefix + p).replace(
              /:(\w+)/g,
              '{$1}',
            )}`,
          );
        }
      }
    } else if (Array.isArray(layer.handle.stack)) {
      expressRoutes(layer.handle.stack, prefix + mountPath(layer), out);
    }
  }
  return out;
}

/** The zod type under optional/default/effects wrappers. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap();
    } else if (s instanceof z.ZodDefault) {
      s = s.removeDefault();
    } else if (s instanceof z.ZodEffects) {
      s = s.innerType();
    } else if (s instanceof z.ZodPipeline) {
      s = s._def.out;
    } else {
      return s;
    }
  }
}

function enumValues(schema: z.ZodTypeAny): string[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodEnum) return [...s.options].sort();
  if (s instanceof z.ZodLiteral) return [String(s.value)];
  throw new Error(`Not an enum: ${s.constructor.name}`);
}

function shapeOf(schema: z.ZodTypeAny): Record<string, z.ZodTypeAny> {
  const s = unwrap(schema);
  if (!(s instanceof z.ZodObject)) throw new Error('Not an object schema');
  return s.shape;
}

/** A component schema by name, following one `$ref`. */
function component(name: string): Json {
  const schema = spec.components.schemas[name];
  if (!schema) throw new Error(`No components.schemas.${name}`);
  return schema;
}

const SCHEMA_KEYWORDS = new Set([
  '$ref',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'default',
  'example',
  'nullable',
  'deprecated',
  'readOnly',
  'writeOnly',
  'items',
  'properties',
  'additionalProperties',
  'required',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'discriminator',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
]);

/**
 * Keys of schema objects that are not OpenAPI 3.0 schema keywords, e.g. the stray key a comma in
 * an unquoted YAML flow mapping makes (`{ description: a, b }`).
 */
function strayKeywords(schema: unknown, at: string, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const node = schema as Json;
  for (const key of Object.keys(node)) {
    if (!SCHEMA_KEYWORDS.has(key)) out.push(`${at}/${key}`);
  }
  for (const [name, sub] of Object.entries<unknown>(node.properties ?? {})) {
    strayKeywords(sub, `${at}/properties/${name}`, out);
  }
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    (node[key] ?? []).forEach((sub: unknown, i: number) =>
      strayKeywords(sub, `${at}/${key}/${i}`, out),
    );
  }
  for (const key of ['items', 'additionalProperties', 'not'] as const) {
    if (typeof node[key] === 'object')
      strayKeywords(node[key], `${at}/${key}`, out);
  }
  return out;
}

/** Every schema of the document: components, parameters, bodies, responses, headers. */
function allSchemas(): [string, unknown][] {
  const found: [string, unknown][] = Object.entries<unknown>(
    spec.components.schemas,
  ).map(([name, s]) => [`#/components/schemas/${name}`, s]);
  const walk = (node: unknown, at: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'schema') found.push([`${at}/schema`, value]);
      else walk(value, `${at}/${key}`);
    }
  };
  walk(spec.paths, '#/paths');
  walk(spec.components.parameters, '#/components/parameters');
  walk(spec.components.responses, '#/components/responses');
  return found;
}

function deref(node: Json): Json {
  return node.$ref ? (resolvePointer(node.$ref) as Json) : node;
}

/** The properties of an object schema, merging `allOf` parts. */
function properties(node: Json): Json {
  const s = deref(node);
  const merged: Json = { ...(s.properties ?? {}) };
  for (const part of s.allOf ?? []) Object.assign(merged, properties(part));
  return merged;
}

function parameter(route: string, method: string, name: string): Json {
  const params: Json[] = spec.paths[route][method].parameters ?? [];
  const found = params.map(deref).find(p => p.name === name);
  if (!found) throw new Error(`No parameter ${name} on ${method} ${route}`);
  return found.schema;
}

function numberLimits(schema: z.ZodTypeAny) {
  const s = unwrap(schema);
  if (!(s instanceof z.ZodNumber)) throw new Error('Not a number schema');
  return { minimum: s.minValue ?? undefined, maximum: s.maxValue ?? undefined };
}

function zodDefault(schema: z.ZodTypeAny): unknown {
  let s = schema;
  while (!(s instanceof z.ZodDefault)) {
    if (s instanceof z.ZodOptional) s = s.unwrap();
    else return undefined;
  }
  return s._def.defaultValue();
}

// A backend starts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(60_000);

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.0 document served under /api/mesh', () => {
    expect(spec.openapi).toMatch(/^3\.0\.\d+$/);
    expect(spec.info).toEqual(
      expect.objectContaining({
        title: expect.any(String),
        version: expect.any(String),
      }),
    );
    expect(spec.servers).toEqual([{ url: '/api/mesh' }]);
    expect(Object.keys(spec.paths).length).toBeGreaterThan(0);
  });

  it('resolves every $ref inside the document', () => {
    const refs: [string, string][] = [];
    collectRefs(spec, '#', refs);
    expect(refs.length).toBeGreaterThan(0);
    const broken = refs.filter(([, ref]) => resolvePointer(ref) === undefined);
    expect(broken).toEqual([]);
  });

  it('gives every operation a unique operationId and a success response', () => {
    const ids: string[] = [];
    for (const item of Object.values<Json>(spec.paths)) {
      for (const method of HTTP_METHODS) {
        if (!item[method]) continue;
        ids.push(item[method].operationId);
        expect(
          Object.keys(item[method].responses).some(code => /^2/.test(code)),
        ).toBe(true);
      }
    }
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses only OpenAPI schema keywords in its schemas', () => {
    const stray = allSchemas().flatMap(([at, s]) => strayKeywords(s, at, []));
    expect(stray).toEqual([]);
  });

  it('requires bearer auth everywhere except /health', () => {
    const scheme = Object.entries<Json>(
      spec.components.securitySchemes ?? {},
    ).find(([, s]) => s.type === 'http' && s.scheme === 'bearer');
    expect(scheme).toBeDefined();
    expect(spec.security).toEqual([{ [scheme![0]]: [] }]);
    const open = specRoutes().filter(route => {
      const [method, p] = route.split(' ');
      const security = spec.paths[p][method.toLowerCase()].security;
      return Array.isArray(security) && security.length === 0;
    });
    expect(open).toEqual(['GET /health']);
  });
});

describe('openapi.yaml against the routers', () => {
  let backend: TestBackend;
  const handlers: Array<{ stack?: ExpressLayer[] }> = [];
  const authPolicies: HttpRouterServiceAuthPolicy[] = [];

  beforeAll(async () => {
    // The plugin as a backend builds it; its httpRouter hands over the router it is given.
    const capturingHttpRouter = createServiceFactory({
      service: coreServices.httpRouter,
      deps: { plugin: coreServices.pluginMetadata },
      async factory({ plugin }) {
        // The test backend's own plugins get an httpRouter too; keep the mesh plugin's.
        const mine = plugin.getId() === 'mesh';
        return {
          use(handler: unknown) {
            if (mine) handlers.push(handler as { stack?: ExpressLayer[] });
          },
          addAuthPolicy(policy: HttpRouterServiceAuthPolicy) {
            if (mine) authPolicies.push(policy);
          },
        };
      },
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        capturingHttpRouter,
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([]),
            mesh: { validation: { enabled: false } },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('documents exactly the routes the routers define', () => {
    // Core services (the permissions registry, ...) add Backstage's own framework routes to the
    // plugin's router (`/.well-known/backstage/...`); they are not part of the mesh API.
    const routes = [
      ...new Set(
        handlers
          .flatMap(h => (h.stack ? expressRoutes(h.stack) : []))
          .filter(route => !/^\w+ \/\.(well-known|backstage)\//.test(route)),
      ),
    ].sort();
    expect(routes.length).toBeGreaterThan(20);
    expect(specRoutes()).toEqual(routes);
  });

  it('leaves only /health unauthenticated, as the plugin does', () => {
    expect(authPolicies).toEqual([
      { path: '/health', allow: 'unauthenticated' },
    ]);
  });
});

describe('openapi.yaml against the request schemas', () => {
  const lifecycleVariants =
    operationRequestSchema.options as z.ZodObject<z.ZodRawShape>[];

  it('lists the lifecycle actions of POST /operations', () => {
    const actions = lifecycleVariants
      .flatMap(v => enumValues(v.shape.action))
      .sort();
    const request = component('LifecycleRequest');
    expect(Object.keys(request.discriminator.mapping).sort()).toEqual(actions);
    expect(request.discriminator.propertyName).toBe('action');
    expect(component('LifecycleAction').enum.slice().sort()).toEqual(actions);
    const specActions = (request.oneOf as Json[])
      .flatMap(v => properties(v).action.enum)
      .sort();
    expect(specActions).toEqual(actions);
  });

  it('gives each lifecycle request variant the fields and required fields of its zod schema', () => {
    const request = component('LifecycleRequest');
    for (const variant of lifecycleVariants) {
      const actions = enumValues(variant.shape.action);
      const specVariant = resolvePointer(
        request.discriminator.mapping[actions[0]],
      ) as Json;
      const props = properties(specVariant);
      // dryRun belongs to the body of POST /operations, not to the stored request.
      const zodKeys = Object.keys(variant.shape).filter(k => k !== 'dryRun');
      expect(Object.keys(props).sort()).toEqual(zodKeys.sort());
      expect(props.action.enum.slice().sort()).toEqual(actions);
      const required = zodKeys.filter(k => !variant.shape[k].isOptional());
      expect((specVariant.required ?? []).slice().sort()).toEqual(
        required.sort(),
      );
    }
    expect(properties(component('OperationRequest')).dryRun.type).toBe(
      'boolean',
    );
    expect(Object.keys(properties(component('OperationRunRequest')))).toEqual(
      Object.keys(runRequestSchema.shape),
    );
  });

  it('lists the operation states and the limits of GET /operations', () => {
    const states = enumValues(listQuerySchema.shape.state);
    expect(component('OperationState').enum.slice().sort()).toEqual(states);
    expect(
      deref(parameter('/operations', 'get', 'state')).enum.slice().sort(),
    ).toEqual(states);
    const limit = parameter('/operations', 'get', 'limit');
    expect({ minimum: limit.minimum, maximum: limit.maximum }).toEqual(
      numberLimits(listQuerySchema.shape.limit),
    );
  });

  it('gives the benchmark profile the fields, enums and defaults of its zod schema', () => {
    const shape = shapeOf(profileInputSchema);
    const props = properties(component('ProfileInput'));
    expect(Object.keys(props).sort()).toEqual(Object.keys(shape).sort());
    expect(props.protocol.enum.slice().sort()).toEqual(
      enumValues(shape.protocol),
    );
    expect(props.engine.enum.slice().sort()).toEqual(enumValues(shape.engine));
    expect(props.loadGenerator.enum).toEqual(enumValues(shape.loadGenerator));
    for (const [key, field] of Object.entries(shape)) {
      expect({ key, default: props[key].default }).toEqual({
        key,
        default: zodDefault(field),
      });
    }
    const required = Object.keys(shape).filter(k => !shape[k].isOptional());
    expect(component('ProfileInput').required.slice().sort()).toEqual(
      required.sort(),
    );
    expect({
      minimum: props.jitter.minimum,
      maximum: props.jitter.maximum,
    }).toEqual(numberLimits(shape.jitter));
  });

  it('lists the validation enums and limits', () => {
    expect(component('FindingSeverity').enum).toEqual([...FINDING_SEVERITIES]);
    expect(
      deref(parameter('/validation/findings', 'get', 'severity'))
        .enum.slice()
        .sort(),
    ).toEqual(enumValues(findingsQuerySchema.shape.severity));
    const limit = parameter('/validation/scans', 'get', 'limit');
    expect({
      minimum: limit.minimum,
      maximum: limit.maximum,
      default: limit.default,
    }).toEqual({
      ...numberLimits(scansQuerySchema.shape.limit),
      default: zodDefault(scansQuerySchema.shape.limit),
    });
    expect(
      Object.keys(properties(component('ValidateRequest'))).sort(),
    ).toEqual(Object.keys(validateBodySchema(1).shape).sort());
    expect(Object.keys(properties(component('ScanRequest')))).toEqual(
      Object.keys(scanBodySchema.shape),
    );
  });

  it('gives GET /topology the parameters, limits and defaults of its query schema', () => {
    const shape = shapeOf(topologyQuerySchema);
    const params = (spec.paths['/topology'].get.parameters as Json[]).map(
      deref,
    );
    expect(params.map(p => p.name).sort()).toEqual(Object.keys(shape).sort());
    const depth = parameter('/topology', 'get', 'depth');
    expect({
      minimum: depth.minimum,
      maximum: depth.maximum,
      default: depth.default,
    }).toEqual({ ...numberLimits(shape.depth), default: DEFAULT_DEPTH });
    const limit = parameter('/topology', 'get', 'limit');
    expect({
      minimum: limit.minimum,
      maximum: limit.maximum,
      default: limit.default,
    }).toEqual({
      ...numberLimits(shape.limit),
      default: zodDefault(shape.limit),
    });
  });

  it('gives GET /onboarding the parameters and states of its query schema', () => {
    const shape = shapeOf(onboardingQuerySchema);
    const params = (spec.paths['/onboarding'].get.parameters as Json[]).map(
      deref,
    );
    expect(params.map(p => p.name).sort()).toEqual(Object.keys(shape).sort());
    expect(component('OnboardingState').enum).toEqual([...ONBOARDING_STATES]);
    expect(
      deref(parameter('/onboarding', 'get', 'state')).enum.slice().sort(),
    ).toEqual(enumValues(shape.state));
  });

  it('describes every id in a path as a UUID, as the routers parse them', () => {
    const ids: string[] = [];
    for (const [route, item] of Object.entries<Json>(spec.paths)) {
      const params = [
        ...(item.parameters ?? []),
        ...HTTP_METHODS.flatMap(m => item[m]?.parameters ?? []),
      ].map(deref);
      for (const p of params.filter(x => x.in === 'path')) {
        if (!/^(id|runId)$/.test(p.name)) continue;
        ids.push(`${route} ${p.name}: ${p.schema.format ?? 'no format'}`);
      }
    }
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(ids.filter(id => !id.endsWith(': uuid'))).toEqual([]);
  });

  it('describes the operation, scan, profile and run ids of bodies, queries and answers as UUIDs', () => {
    // Fields named for one of those ids, wherever they stand, and the `id` of the schemas that
    // are such an object (other `id`s, an adapter's or a topology node's, are names).
    const idField = /^(operationId|scanId|previousScanId|profileId|runId)$/;
    const objectsWithUuidIds = [
      'OperationFields',
      'FleetOperation',
      'OnboardingOperationSummary',
      'Scan',
      'Profile',
      'Run',
      'ComparedRun',
      'lastFailedScan',
    ];
    const found: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => walk(n, `${at}/${i}`));
        return;
      }
      if (!node || typeof node !== 'object') return;
      const obj = node as Json;
      for (const [name, prop] of Object.entries<Json>(obj.properties ?? {})) {
        // The object's own name: the property it is the value of, else its component's.
        const owner =
          /\/properties\/(\w+)$/.exec(at)?.[1] ??
          /^#\/components\/schemas\/(\w+)/.exec(at)?.[1];
        if (
          idField.test(name) ||
          (name === 'id' && objectsWithUuidIds.includes(owner ?? ''))
        ) {
          const schema = deref(prop);
          const formats = schema.oneOf
            ? (schema.oneOf as Json[]).map(s => deref(s).format ?? s.$ref)
            : [schema.format ?? 'no format'];
          found.push(`${at}/properties/${name}: ${formats.join(' | ')}`);
        }
      }
      for (const [key, value] of Object.entries(obj)) {
        if (key !== 'properties') walk(value, `${at}/${key}`);
        else
          for (const [n, v] of Object.entries(value as Json))
            walk(v, `${at}/properties/${n}`);
      }
    };
    walk(spec.components.schemas, '#/components/schemas');
    walk(spec.paths, '#/paths');
    const queryIds = Object.values<Json>(spec.paths).flatMap(item =>
      HTTP_METHODS.flatMap(m => item[m]?.parameters ?? [])
        .map(deref)
        .filter(p => p.in === 'query' && /^(profileId|runs)$/.test(p.name))
        .map(p => `${p.name}: ${(p.schema.items ?? p.schema).format}`),
    );
    expect(found.length).toBeGreaterThanOrEqual(15);
    expect(
      found.filter(
        f => !/: (uuid|uuid \| #\/components\/schemas\/\w+)$/.test(f),
      ),
    ).toEqual([]);
    expect(queryIds.sort()).toEqual(['profileId: uuid', 'runs: uuid']);
  });

  it('lists the benchmark export formats', () => {
    expect(
      parameter('/benchmark/results/{runId}/export', 'get', 'format').enum,
    ).toEqual([...EXPORT_FORMATS]);
  });
});
