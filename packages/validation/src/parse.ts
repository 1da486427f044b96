import type { Finding } from '@meshstage/plugin-mesh-common';
import { findingDocsUrl } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { isClusterScoped } from '@meshstage/plugin-mesh-node';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Node,
  parseAllDocuments,
} from 'yaml';
import { ENGINE_CODES } from './codes';
import type { ManifestOrigin } from './positions';

/** An object read from a file or a cluster, with its origin when it came from a file. @public */
export interface ManifestObject {
  object: KubeObject;
  origin?: ManifestOrigin;
}

/** What reading files gives: the objects, and findings about documents that could not be read. @public */
export interface ParsedManifests {
  objects: ManifestObject[];
  findings: Finding[];
}

/** Options of {@link parseManifests}. @public */
export interface ParseOptions {
  /** Namespace of namespaced objects that do not name one (as `kubectl apply` would). */
  defaultNamespace?: string;
}

function fileFinding(
  info: (typeof ENGINE_CODES)[keyof typeof ENGINE_CODES],
  file: string,
  line: number,
  column: number,
  message: string,
): Finding {
  return {
    code: info.code,
    severity: info.severity,
    message,
    source: { file, line, column },
    docs: findingDocsUrl(info.code),
  };
}

/**
 * Reads a manifest file's text: every document of a multi-document file, and every item of a
 * `List` kind. A document that is not YAML, or not a Kubernetes object, becomes a finding with its
 * line, and the other documents are still read. Pure: the caller reads the file.
 * @public
 */
export function parseManifests(
  file: string,
  text: string,
  options: ParseOptions = {},
): ParsedManifests {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const lineCounter = new LineCounter();
  const out: ParsedManifests = { objects: [], findings: [] };
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  for (const doc of Array.isArray(docs) ? docs : []) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      out.findings.push(
        fileFinding(
          ENGINE_CODES.yamlSyntax,
          file,
          pos.line,
          pos.col,
          `Invalid YAML: ${err.message.split('\n')[0]}`,
        ),
      );
      continue;
    }
    const contents = doc.contents as Node | null;
    // An empty or comment-only document (`---` at the end of a file) is allowed.
    if (!contents || (isScalar(contents) && contents.value === null)) continue;
    const startPos = lineCounter.linePos(contents.range?.[0] ?? 0);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      out.findings.push(
        fileFinding(
          ENGINE_CODES.yamlSyntax,
          file,
          startPos.line,
          startPos.col,
          `Invalid YAML: ${(e as Error).message}`,
        ),
      );
      continue;
    }
    const candidates: Array<{ value: unknown; node: Node }> = [];
    const record = value as Record<string, unknown> | null;
    if (
      record &&
      typeof record === 'object' &&
      typeof record.kind === 'string' &&
      record.kind.endsWith('List') &&
      Array.isArray(record.items) &&
      isMap(contents)
    ) {
      const itemsNode = contents.get('items', true);
      record.items.forEach((item, i) => {
        const node = isSeq(itemsNode)
          ? (itemsNode.items[i] as Node | undefined)
          : undefined;
        candidates.push({ value: item, node: node ?? contents });
      });
    } else {
      candidates.push({ value, node: contents });
    }
    for (const c of candidates) {
      const problem = notKubernetesReason(c.value);
      if (problem) {
        const pos = lineCounter.linePos(c.node.range?.[0] ?? 0);
        out.findings.push(
          fileFinding(
            ENGINE_CODES.notKubernetes,
            file,
            pos.line,
            pos.col,
            `Not a Kubernetes object: ${problem}`,
          ),
        );
        continue;
      }
      const obj = c.value as KubeObject;
      const namespaced = !isClusterScoped(obj.apiVersion, obj.kind);
      const object: KubeObject =
        namespaced && !obj.metadata.namespace
          ? {
              ...obj,
              metadata: { ...obj.metadata, namespace: defaultNamespace },
            }
          : obj;
      out.objects.push({ object, origin: { file, node: c.node, lineCounter } });
    }
  }
  return out;
}

function notKubernetesReason(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return `the document is ${
      Array.isArray(value)
        ? 'a list'
        : `a ${value === null ? 'null' : typeof value}`
    }, not a mapping`;
  }
  const v = value as Record<string, any>;
  if (typeof v.apiVersion !== 'string' || !v.apiVersion) {
    return '`apiVersion` is missing';
  }
  if (typeof v.kind !== 'string' || !v.kind) return '`kind` is missing';
  if (!v.metadata || typeof v.metadata !== 'object') {
    return '`metadata` is missing';
  }
  if (typeof v.metadata.name !== 'string' || !v.metadata.name) {
    return '`metadata.name` is missing';
  }
  return undefined;
}
