import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors, ApiError } from './status';
import { mediaType } from './negotiate';
import {
  decodeKubernetesProtobuf,
  ProtobufDecodeError,
} from '../protobuf/decode';

const MAX_BODY = 3 * 1024 * 1024 + 1024;

/** Reads the whole request body as text (413 beyond the API server's 3 MiB limit). */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBuffer(req)).toString('utf8');
}

/** Reads the whole request body as bytes (413 beyond the API server's 3 MiB limit). */
export function readBodyBuffer(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(
          new ApiError(
            413,
            'RequestEntityTooLarge',
            'Request entity too large: limit is 3145728',
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes a create/update body: JSON (default), YAML, or protobuf for the kinds kubectl's generators send. */
export function decodeBody(
  raw: string | Buffer,
  contentType: string | undefined,
): unknown {
  const mt = mediaType(contentType);
  if (mt === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeKubernetesProtobuf(
        Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'binary'),
      );
    } catch (e) {
      if (e instanceof ProtobufDecodeError) {
        throw errors.unsupportedMediaType(mt, [
          'application/json',
          'application/yaml',
        ]);
      }
      throw errors.badRequest(
        `error decoding protobuf: ${(e as Error).message}`,
      );
    }
  }
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  if (mt === 'application/yaml' || mt === 'application/x-yaml') {
    try {
      return parseYaml(text);
    } catch (e) {
      throw errors.badRequest(
        `error converting YAML to JSON: ${(e as Error).message}`,
      );
    }
  }
  if (mt !== '' && mt !== 'application/json' && mt !== '*/*') {
    throw errors.unsupportedMediaType(mt, [
      'application/json',
      'application/yaml',
      'application/vnd.kubernetes.protobuf',
    ]);
  }
  if (text.trim() === '')
    throw errors.badRequest("Object 'Kind' is missing in ''");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(
      `couldn't get version/kind; json parse error: ${(e as Error).message}`,
    );
  }
}
