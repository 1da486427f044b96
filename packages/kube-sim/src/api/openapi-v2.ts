import { stringify as toYaml } from 'yaml';
import { isObject, JsonObject } from '../util/objects';
import { ProtoWriter } from './proto-writer';

/**
 * OpenAPI v2 for kubectl 1.27/1.28, which validate and explain with it and
 * only read it as protobuf (gnostic's OpenAPIv2 Document). Built from the v3
 * group-version documents: `$ref`s point at `#/definitions/`, request bodies
 * become `consumes`.
 */

const V3_PREFIX = '#/components/schemas/';
const V2_PREFIX = '#/definitions/';

/** Converts a v3 schema to v2: references, allOf wrappers, int-or-string. */
export function toV2Schema(s: unknown): JsonObject {
  if (!isObject(s)) return {};
  const out: JsonObject = {};
  let src: JsonObject = s;
  if (
    Array.isArray(s.allOf) &&
    s.allOf.length === 1 &&
    isObject(s.allOf[0]) &&
    !s.properties
  ) {
    src = { ...s, ...(s.allOf[0] as JsonObject) };
    delete src.allOf;
  }
  for (const [k, v] of Object.entries(src)) {
    if (k === '$ref' && typeof v === 'string')
      out.$ref = v.replace(V3_PREFIX, V2_PREFIX);
    else if (k === 'properties' && isObject(v)) {
      out.properties = Object.fromEntries(
        Object.entries(v).map(([pk, pv]) => [pk, toV2Schema(pv)]),
      );
    } else if (k === 'items') out.items = toV2Schema(v);
    else if (k === 'additionalProperties')
      out.additionalProperties = isObject(v) ? toV2Schema(v) : v;
    else if (k === 'allOf' && Array.isArray(v)) out.allOf = v.map(toV2Schema);
    else if (k === 'x-kubernetes-int-or-string' && v === true) {
      out.type = 'string';
      out.format = 'int-or-string';
      out[k] = v;
    } else if (
      k !== 'nullable' &&
      k !== 'oneOf' &&
      k !== 'anyOf' &&
      k !== 'not'
    )
      out[k] = v;
  }
  if (out['x-kubernetes-preserve-unknown-fields'] && !out.type)
    out.type = 'object';
  return out;
}

function convertOperation(op: JsonObject): JsonObject {
  const out: JsonObject = { ...op };
  delete out.requestBody;
  const params = Array.isArray(op.parameters)
    ? [...(op.parameters as JsonObject[])]
    : [];
  const body = op.requestBody as JsonObject | undefined;
  if (isObject(body) && isObject(body.content)) {
    const types = Object.keys(body.content);
    out.consumes = types;
    const first = body.content[types[0]] as JsonObject;
    params.unshift({
      name: 'body',
      in: 'body',
      required: true,
      schema: toV2Schema(first?.schema),
    });
  }
  out.parameters = params.map(p =>
    p.in === 'body'
      ? p
      : {
          ...p,
          type: (p.schema as JsonObject | undefined)?.type ?? 'string',
          schema: undefined,
        },
  );
  out.produces = [
    'application/json',
    'application/yaml',
    'application/vnd.kubernetes.protobuf',
  ];
  const responses: JsonObject = {};
  for (const [code, r] of Object.entries((op.responses ?? {}) as JsonObject)) {
    const rr = r as JsonObject;
    const content = isObject(rr.content)
      ? (Object.values(rr.content)[0] as JsonObject)
      : undefined;
    responses[code] = {
      description: rr.description ?? '',
      ...(content?.schema ? { schema: toV2Schema(content.schema) } : {}),
    };
  }
  out.responses = responses;
  return out;
}

/** Merges v3 group-version documents into one Swagger 2.0 document. */
export function swaggerDocument(docs: JsonObject[]): JsonObject {
  const paths: JsonObject = {};
  const definitions: JsonObject = {};
  for (const doc of docs) {
    for (const [p, item] of Object.entries((doc.paths ?? {}) as JsonObject)) {
      const converted: JsonObject = {};
      for (const [method, op] of Object.entries(item as JsonObject)) {
        if (method === 'parameters')
          converted.parameters = (op as JsonObject[]).map(x => ({
            ...x,
            type: 'string',
            schema: undefined,
          }));
        else converted[method] = convertOperation(op as JsonObject);
      }
      paths[p] = converted;
    }
    for (const [name, s] of Object.entries(
      ((doc.components as JsonObject)?.schemas ?? {}) as JsonObject,
    )) {
      definitions[name] = toV2Schema(s);
    }
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    definitions,
  };
}

// ---- protobuf encoding (gnostic openapi_v2 field numbers) ----

const yaml = (v: unknown) => toYaml(v);

function vendorExtensions(
  w: ProtoWriter,
  field: number,
  obj: JsonObject,
): void {
  for (const [k, v] of Object.entries(obj)) {
    if (!k.startsWith('x-') || v === undefined) continue;
    w.message(field, named =>
      named.string(1, k).message(2, any => any.string(2, yaml(v))),
    );
  }
}

function writeSchema(w: ProtoWriter, s: JsonObject): void {
  w.string(1, s.$ref as string | undefined);
  w.string(2, s.format as string | undefined);
  w.string(4, s.description as string | undefined);
  if (Array.isArray(s.required)) w.strings(19, s.required as string[]);
  if (Array.isArray(s.enum))
    for (const e of s.enum) w.message(20, any => any.string(2, yaml(e)));
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(21, item => {
      if (isObject(ap)) item.message(1, x => writeSchema(x, ap));
      else item.bool(2, ap === true);
    });
  }
  if (typeof s.type === 'string')
    w.message(22, t => t.strings(1, [s.type as string]));
  if (isObject(s.items))
    w.message(23, items =>
      items.message(1, x => writeSchema(x, s.items as JsonObject)),
    );
  if (Array.isArray(s.allOf))
    for (const a of s.allOf)
      w.message(24, x => writeSchema(x, a as JsonObject));
  if (isObject(s.properties)) {
    w.message(25, props => {
      for (const [name, p] of Object.entries(s.properties as JsonObject)) {
        props.message(1, ns =>
          ns.string(1, name).message(2, x => writeSchema(x, p as JsonObject)),
        );
      }
    });
  }
  vendorExtensions(w, 31, s);
}

function writeParameter(w: ProtoWriter, p: JsonObject): void {
  // ParametersItem.parameter(1) -> Parameter
  w.message(1, param => {
    if (p.in === 'body') {
      param.message(1, b =>
        b
          .string(1, p.description as string | undefined)
          .string(2, p.name as string)
          .string(3, 'body')
          .bool(4, !!p.required)
          .message(5, x => writeSchema(x, (p.schema ?? {}) as JsonObject)),
      );
    } else if (p.in === 'path') {
      param.message(2, nb =>
        nb.message(4, x =>
          x
            .bool(1, true)
            .string(2, 'path')
            .string(3, p.description as string | undefined)
            .string(4, p.name as string)
            .string(5, (p.type as string) ?? 'string'),
        ),
      );
    } else {
      param.message(2, nb =>
        nb.message(3, x =>
          x
            .bool(1, !!p.required)
            .string(2, 'query')
            .string(3, p.description as string | undefined)
            .string(4, p.name as string)
            .string(6, (p.type as string) ?? 'string'),
        ),
      );
    }
  });
}

function writeOperation(w: ProtoWriter, op: JsonObject): void {
  w.strings(1, op.tags as string[] | undefined);
  w.string(3, op.description as string | undefined);
  w.string(5, op.operationId as string | undefined);
  w.strings(6, op.produces as string[] | undefined);
  w.strings(7, op.consumes as string[] | undefined);
  for (const p of (op.parameters ?? []) as JsonObject[])
    w.message(8, item => writeParameter(item, p));
  w.message(9, responses => {
    for (const [code, r] of Object.entries(
      (op.responses ?? {}) as JsonObject,
    )) {
      const rr = r as JsonObject;
      responses.message(1, named =>
        named.string(1, code).message(2, rv =>
          rv.message(1, resp => {
            resp.string(1, (rr.description as string) || code);
            if (isObject(rr.schema))
              resp.message(2, si =>
                si.message(1, x => writeSchema(x, rr.schema as JsonObject)),
              );
          }),
        ),
      );
    }
  });
  vendorExtensions(w, 13, op);
}

const METHODS: Record<string, number> = {
  get: 2,
  put: 3,
  post: 4,
  delete: 5,
  patch: 8,
};

/** Encodes a Swagger 2.0 document as gnostic's openapi_v2.Document protobuf. */
export function encodeSwagger(doc: JsonObject): Buffer {
  const w = new ProtoWriter();
  w.string(1, '2.0');
  w.message(2, info => info.string(1, 'Kubernetes').string(2, 'unversioned'));
  w.message(8, paths => {
    for (const [p, item] of Object.entries((doc.paths ?? {}) as JsonObject)) {
      paths.message(2, named =>
        named.string(1, p).message(2, pi => {
          for (const [m, op] of Object.entries(item as JsonObject)) {
            if (METHODS[m])
              pi.message(METHODS[m], x => writeOperation(x, op as JsonObject));
          }
          for (const par of ((item as JsonObject).parameters ??
            []) as JsonObject[])
            pi.message(9, x => writeParameter(x, par));
        }),
      );
    }
  });
  w.message(9, defs => {
    for (const [name, s] of Object.entries(
      (doc.definitions ?? {}) as JsonObject,
    )) {
      defs.message(1, ns =>
        ns.string(1, name).message(2, x => writeSchema(x, s as JsonObject)),
      );
    }
  });
  return w.finish();
}
