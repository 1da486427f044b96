import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { ApiError } from './status';
import { ObjectFormat } from './negotiate';

/** Writes a JSON (or YAML) body with status and optional Warning headers. */
export function sendObject(
  res: ServerResponse,
  status: number,
  body: unknown,
  format: ObjectFormat = { kind: 'json' },
  warnings: string[] = [],
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (warnings.length)
    res.setHeader(
      'Warning',
      warnings.map(w => `299 - ${JSON.stringify(w)}`),
    );
  let text: string;
  let type: string;
  if (format.kind === 'yaml') {
    text = toYaml(body);
    type = 'application/yaml';
  } else {
    text = JSON.stringify(body);
    type = 'application/json';
    if (format.kind === 'table')
      type = `application/json;as=Table;v=${format.version};g=meta.k8s.io`;
    if (format.kind === 'partial')
      type = `application/json;as=PartialObjectMetadata;v=${format.version};g=meta.k8s.io`;
  }
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  sendObject(res, err.code, err.toStatus());
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
