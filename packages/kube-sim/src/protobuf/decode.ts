import { JsonObject } from '../util/objects';
import { MESSAGES } from './k8s-types';
import { readFields, WireField } from './reader';

/** Protobuf bodies start with this magic before the runtime.Unknown envelope. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export class ProtobufDecodeError extends Error {}

const str = (f: WireField) => (f.bytes ?? Buffer.alloc(0)).toString('utf8');

function mapEntry(f: WireField): [string, WireField | undefined] {
  let key = '';
  let value: WireField | undefined;
  for (const e of readFields(f.bytes ?? Buffer.alloc(0))) {
    if (e.field === 1) key = str(e);
    else if (e.field === 2) value = e;
  }
  return [key, value];
}

function intOrString(f: WireField): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  for (const e of readFields(f.bytes ?? Buffer.alloc(0))) {
    if (e.field === 1) type = e.varint ?? 0;
    else if (e.field === 2) intVal = e.varint ?? 0;
    else if (e.field === 3) strVal = str(e);
  }
  return type === 1 ? strVal : intVal;
}

function quantity(f: WireField | undefined): string {
  if (!f?.bytes) return '0';
  const q = readFields(f.bytes).find(e => e.field === 1);
  return q ? str(q) : '0';
}

function int32(v: number): number {
  // negative int32 values arrive as 64-bit two's complement varints
  return v >= 2 ** 63 ? v - 2 ** 64 : v;
}

function decodeValue(spec: string, f: WireField): unknown {
  switch (spec) {
    case 's':
      return str(f);
    case 'i':
    case 'i0':
      return int32(f.varint ?? 0);
    case 'b':
    case 'b0':
      return f.varint === 1;
    case 'ios':
      return intOrString(f);
    case 'q':
      return quantity(f);
    default:
      return decodeMessage(spec, f.bytes ?? Buffer.alloc(0));
  }
}

/** Decodes one message of a known type into its JSON form. */
export function decodeMessage(type: string, buf: Buffer): JsonObject {
  const table = MESSAGES[type];
  if (!table) throw new ProtobufDecodeError(`unknown message type ${type}`);
  const out: JsonObject = {};
  for (const f of readFields(buf)) {
    const entry = table[f.field];
    if (!entry) continue;
    const [name, rawSpec] = entry;
    const repeated = rawSpec.endsWith('[]');
    const spec = repeated ? rawSpec.slice(0, -2) : rawSpec;
    if (spec === 'map' || spec === 'mapb' || spec === 'mapq') {
      const [k, v] = mapEntry(f);
      const m = (out[name] ?? (out[name] = {})) as JsonObject;
      if (spec === 'map') m[k] = v ? str(v) : '';
      else if (spec === 'mapb')
        m[k] = (v?.bytes ?? Buffer.alloc(0)).toString('base64');
      else m[k] = quantity(v);
      continue;
    }
    if (spec.startsWith('inline:')) {
      Object.assign(
        out,
        decodeMessage(spec.slice('inline:'.length), f.bytes ?? Buffer.alloc(0)),
      );
      continue;
    }
    const value = decodeValue(spec, f);
    if (repeated) ((out[name] ?? (out[name] = [])) as unknown[]).push(value);
    else out[name] = value;
  }
  // Go marshals non-pointer scalars even when zero; JSON would omit them
  for (const [, [name, spec]] of Object.entries(table)) {
    const v = out[name];
    if (
      v === '' ||
      (spec === 'i0' && v === 0) ||
      (spec === 'b0' && v === false)
    )
      delete out[name];
  }
  return out;
}

/**
 * Decodes an `application/vnd.kubernetes.protobuf` request body (magic,
 * runtime.Unknown envelope, typed object) into the JSON object it encodes.
 */
export function decodeKubernetesProtobuf(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw new ProtobufDecodeError('not a Kubernetes protobuf message');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  for (const f of readFields(body.subarray(4))) {
    if (f.field === 1 && f.bytes) {
      for (const t of readFields(f.bytes)) {
        if (t.field === 1) apiVersion = str(t);
        else if (t.field === 2) kind = str(t);
      }
    } else if (f.field === 2) raw = f.bytes;
  }
  if (
    !MESSAGES[kind] ||
    !MESSAGES[kind][1] ||
    MESSAGES[kind][1][0] !== 'metadata'
  ) {
    throw new ProtobufDecodeError(
      `protobuf bodies of kind ${kind || '(none)'} are not supported`,
    );
  }
  return { apiVersion, kind, ...decodeMessage(kind, raw ?? Buffer.alloc(0)) };
}
