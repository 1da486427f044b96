import { createHash } from 'node:crypto';
import { REF_PREFIX, Schema, SchemaDefs } from '../schema/types';
import { JsonObject, isObject } from '../util/objects';
import { encodeSwagger, swaggerDocument } from './openapi-v2';
import { Registry } from './registry';
import { ResourceType } from './types';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const q = (name: string, description: string, type = 'string'): JsonObject => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const P = {
  pretty: q('pretty', "If 'true', then the output is pretty printed."),
  dryRun: q(
    'dryRun',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  fieldManager: q(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: q(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: q(
    'force',
    'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.',
    'boolean',
  ),
  allowWatchBookmarks: q(
    'allowWatchBookmarks',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
    'boolean',
  ),
  continue: q(
    'continue',
    'The continue option should be set when retrieving more results from the server.',
  ),
  fieldSelector: q(
    'fieldSelector',
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  ),
  labelSelector: q(
    'labelSelector',
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  ),
  limit: q(
    'limit',
    'limit is a maximum number of responses to return for a list call.',
    'integer',
  ),
  resourceVersion: q(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  resourceVersionMatch: q(
    'resourceVersionMatch',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  sendInitialEvents: q(
    'sendInitialEvents',
    '`sendInitialEvents=true` may be set together with `watch=true`.',
    'boolean',
  ),
  timeoutSeconds: q(
    'timeoutSeconds',
    'Timeout for the list/watch call.',
    'integer',
  ),
  watch: q(
    'watch',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
    'boolean',
  ),
  gracePeriodSeconds: q(
    'gracePeriodSeconds',
    'The duration in seconds before the object should be deleted.',
    'integer',
  ),
  propagationPolicy: q(
    'propagationPolicy',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
};

const pathParam = (name: string, description: string): JsonObject => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', uniqueItems: true },
});

const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];

function ref(name: string): JsonObject {
  return { $ref: REF_PREFIX + name };
}

function content(schemaName: string): JsonObject {
  const s = { schema: ref(schemaName) };
  return {
    'application/json': s,
    'application/yaml': s,
    'application/vnd.kubernetes.protobuf': s,
  };
}

function ok(schemaName: string, code = '200'): JsonObject {
  return {
    [code]: {
      description: code === '201' ? 'Created' : 'OK',
      content: content(schemaName),
    },
    '401': { description: 'Unauthorized' },
  };
}

function opId(verb: string, t: ResourceType, suffix = ''): string {
  const g = t.group
    ? t.group
        .split('.')
        .map((p, i) => (i === 0 ? p : p))
        .join('')
    : 'core';
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const gv =
    cap(g.replace(/[.-](.)/g, (_, c: string) => c.toUpperCase())) +
    cap(t.version);
  return `${verb}${gv}${t.namespaced ? 'Namespaced' : ''}${t.kind}${suffix}`;
}

function gvkExt(t: {
  group: string;
  version: string;
  kind: string;
}): JsonObject {
  return { group: t.group, version: t.version, kind: t.kind };
}

/** Paths for one resource: collection, item, and status/scale subresources. */
function resourcePaths(
  t: ResourceType,
  kindSchema: string,
  listSchema: string,
  tag: string,
): Record<string, JsonObject> {
  const prefix = t.group
    ? `/apis/${t.group}/${t.version}`
    : `/api/${t.version}`;
  const base = t.namespaced
    ? `${prefix}/namespaces/{namespace}/${t.plural}`
    : `${prefix}/${t.plural}`;
  const nsParams = t.namespaced
    ? [
        pathParam(
          'namespace',
          'object name and auth scope, such as for teams and projects',
        ),
      ]
    : [];
  const gvk = gvkExt(t);
  const out: Record<string, JsonObject> = {};
  const write = [P.dryRun, P.fieldManager, P.fieldValidation];
  out[base] = {
    get: {
      tags: [tag],
      description: `list or watch objects of kind ${t.kind}`,
      operationId: opId('list', t),
      parameters: LIST_PARAMS,
      responses: ok(listSchema),
      'x-kubernetes-action': 'list',
      'x-kubernetes-group-version-kind': gvk,
    },
    post: {
      tags: [tag],
      description: `create a ${t.kind}`,
      operationId: opId('create', t),
      parameters: write,
      requestBody: {
        content: { '*/*': { schema: ref(kindSchema) } },
        required: true,
      },
      responses: { ...ok(kindSchema), ...ok(kindSchema, '201') },
      'x-kubernetes-action': 'post',
      'x-kubernetes-group-version-kind': gvk,
    },
    delete: {
      tags: [tag],
      description: `delete collection of ${t.kind}`,
      operationId: opId('deleteCollection', t),
      parameters: [
        ...LIST_PARAMS,
        P.dryRun,
        P.gracePeriodSeconds,
        P.propagationPolicy,
      ],
      responses: ok(`${META}.Status`),
      'x-kubernetes-action': 'deletecollection',
      'x-kubernetes-group-version-kind': gvk,
    },
    parameters: [...nsParams, P.pretty],
  };
  const itemParams = [
    pathParam('name', `name of the ${t.kind}`),
    ...nsParams,
    P.pretty,
  ];
  // The patch request bodies deliberately list no strategic-merge content type:
  // kubectl then computes client-side apply patches from its compiled-in types
  // (complete for every built-in kind) instead of from these compact schemas.
  const patchOp = (suffix: string, schemaName: string) => ({
    tags: [tag],
    description: `partially update the specified ${t.kind}`,
    operationId: opId('patch', t, suffix),
    parameters: [...write, P.force],
    requestBody: {
      content: {
        'application/apply-patch+yaml': { schema: ref(`${META}.Patch`) },
        'application/json-patch+json': { schema: ref(`${META}.Patch`) },
        'application/merge-patch+json': { schema: ref(`${META}.Patch`) },
      },
      required: true,
    },
    responses: { ...ok(schemaName), ...ok(schemaName, '201') },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': schemaName.endsWith('Scale')
      ? { group: 'autoscaling', version: 'v1', kind: 'Scale' }
      : gvk,
  });
  out[`${base}/{name}`] = {
    get: {
      tags: [tag],
      description: `read the specified ${t.kind}`,
      operationId: opId('read', t),
      responses: ok(kindSchema),
      'x-kubernetes-action': 'get',
      'x-kubernetes-group-version-kind': gvk,
    },
    put: {
      tags: [tag],
      description: `replace the specified ${t.kind}`,
      operationId: opId('replace', t),
      parameters: write,
      requestBody: {
        content: { '*/*': { schema: ref(kindSchema) } },
        required: true,
      },
      responses: { ...ok(kindSchema), ...ok(kindSchema, '201') },
      'x-kubernetes-action': 'put',
      'x-kubernetes-group-version-kind': gvk,
    },
    patch: patchOp('', kindSchema),
    delete: {
      tags: [tag],
      description: `delete a ${t.kind}`,
      operationId: opId('delete', t),
      parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
      responses: { ...ok(`${META}.Status`), ...ok(`${META}.Status`, '202') },
      'x-kubernetes-action': 'delete',
      'x-kubernetes-group-version-kind': gvk,
    },
    parameters: itemParams,
  };
  for (const sub of t.subresources) {
    if (sub.name !== 'status' && sub.name !== 'scale') continue;
    const schemaName =
      sub.name === 'scale' ? 'io.k8s.api.autoscaling.v1.Scale' : kindSchema;
    const sfx = sub.name === 'scale' ? 'Scale' : 'Status';
    out[`${base}/{name}/${sub.name}`] = {
      get: {
        tags: [tag],
        description: `read ${sub.name} of the specified ${t.kind}`,
        operationId: opId('read', t, sfx),
        responses: ok(schemaName),
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind':
          sub.name === 'scale'
            ? { group: 'autoscaling', version: 'v1', kind: 'Scale' }
            : gvk,
      },
      put: {
        tags: [tag],
        description: `replace ${sub.name} of the specified ${t.kind}`,
        operationId: opId('replace', t, sfx),
        parameters: write,
        requestBody: {
          content: { '*/*': { schema: ref(schemaName) } },
          required: true,
        },
        responses: ok(schemaName),
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind':
          sub.name === 'scale'
            ? { group: 'autoscaling', version: 'v1', kind: 'Scale' }
            : gvk,
      },
      patch: patchOp(sfx, schemaName),
      parameters: itemParams,
    };
  }
  if (t.namespaced) {
    out[`${prefix}/${t.plural}`] = {
      get: {
        tags: [tag],
        description: `list or watch objects of kind ${t.kind}`,
        operationId: `${opId('list', {
          ...t,
          namespaced: false,
        })}ForAllNamespaces`,
        responses: ok(listSchema),
        'x-kubernetes-action': 'list',
        'x-kubernetes-group-version-kind': gvk,
      },
      parameters: [...LIST_PARAMS, P.pretty],
    };
  }
  return out;
}

/** Adds a schema and every schema it references to `out`. */
function collect(name: string, defs: SchemaDefs, out: SchemaDefs): void {
  if (out[name] || !defs[name]) return;
  out[name] = defs[name];
  const visit = (s: unknown) => {
    if (Array.isArray(s)) s.forEach(visit);
    else if (isObject(s)) {
      if (typeof s.$ref === 'string' && s.$ref.startsWith(REF_PREFIX))
        collect(s.$ref.slice(REF_PREFIX.length), defs, out);
      for (const v of Object.values(s)) visit(v);
    }
  };
  visit(defs[name]);
}

const COMMON: SchemaDefs = {
  [`${META}.Patch`]: {
    type: 'object',
    description:
      'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
  [`${META}.Status`]: {
    type: 'object',
    description:
      "Status is a return value for calls that don't return other objects.",
    properties: {
      apiVersion: { type: 'string' },
      code: { type: 'integer', format: 'int32' },
      details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      kind: { type: 'string' },
      message: { type: 'string' },
      metadata: { allOf: [{ $ref: `${REF_PREFIX}${META}.ListMeta` }] },
      reason: { type: 'string' },
      status: { type: 'string' },
    },
    'x-kubernetes-group-version-kind': [
      { group: '', version: 'v1', kind: 'Status' },
    ],
  },
};

/** The OpenAPI v3 document of one group-version, with paths and component schemas. */
export function groupVersionDocument(
  registry: Registry,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = registry.resourcesIn(group, version);
  if (types.length === 0) return undefined;
  const schemas: SchemaDefs = {};
  const paths: Record<string, JsonObject> = {};
  const tag = group
    ? `${group.replace(/\..*$/, '')}_${version}`
    : `core_${version}`;
  for (const name of Object.keys(COMMON)) schemas[name] = COMMON[name];
  for (const t of types) {
    const kindSchema = t.schema?.$ref
      ? t.schema.$ref.slice(REF_PREFIX.length)
      : undefined;
    if (!kindSchema) continue;
    const defs = { ...t.defs, ...COMMON };
    collect(kindSchema, defs, schemas);
    const listSchema = `${kindSchema}List`;
    if (!defs[listSchema]) {
      // custom resources: synthesize the List schema
      defs[listSchema] = {
        type: 'object',
        description: `${t.kind}List is a list of ${t.kind}`,
        properties: {
          apiVersion: { type: 'string' },
          items: {
            type: 'array',
            items: { $ref: REF_PREFIX + kindSchema } as Schema,
          },
          kind: { type: 'string' },
          metadata: { allOf: [{ $ref: `${REF_PREFIX}${META}.ListMeta` }] },
        },
        required: ['items'],
        'x-kubernetes-group-version-kind': [
          { group: t.group, version: t.version, kind: t.listKind },
        ],
      };
    }
    collect(listSchema, defs, schemas);
    if (t.scale) collect('io.k8s.api.autoscaling.v1.Scale', defs, schemas);
    Object.assign(paths, resourcePaths(t, kindSchema, listSchema, tag));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
  };
}

/** Caches GV documents and their hashes until the set of served types changes. */
export class OpenApiCache {
  private cachedFor = -1;
  private docs = new Map<string, { body: string; hash: string }>();
  private swagger?: { json: string; proto: Buffer };

  constructor(private readonly registry: Registry) {}

  private refresh(): void {
    if (this.cachedFor === this.registry.version) return;
    this.docs.clear();
    this.swagger = undefined;
    for (const gv of this.registry.groupVersions()) {
      const doc = groupVersionDocument(this.registry, gv.group, gv.version);
      if (!doc) continue;
      const body = JSON.stringify(doc);
      const hash = createHash('sha512')
        .update(body)
        .digest('hex')
        .toUpperCase()
        .slice(0, 128);
      this.docs.set(
        gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`,
        { body, hash },
      );
    }
    this.cachedFor = this.registry.version;
  }

  /** `/openapi/v3`: the index of GV documents. */
  index(): JsonObject {
    this.refresh();
    const paths: JsonObject = {};
    for (const [k, v] of this.docs)
      paths[k] = { serverRelativeURL: `/openapi/v3/${k}?hash=${v.hash}` };
    return { paths };
  }

  /** `/openapi/v2` as JSON text and as protobuf (what kubectl 1.27/1.28 read). */
  v2(): { json: string; proto: Buffer } {
    this.refresh();
    if (!this.swagger) {
      const docs = [...this.docs.values()].map(d => JSON.parse(d.body));
      const doc = swaggerDocument(docs);
      this.swagger = { json: JSON.stringify(doc), proto: encodeSwagger(doc) };
    }
    return this.swagger;
  }

  /** The serialized document for `api/v1` or `apis/<g>/<v>`, if served. */
  document(path: string): { body: string; hash: string } | undefined {
    this.refresh();
    return this.docs.get(path);
  }
}
