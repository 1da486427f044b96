import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ObjectApi } from './api/object-api';
import { KubeObject, meta, parseApiVersion } from './api/types';
import { ApiError } from './server/status';
import { isObject } from './util/objects';

/** YAML files under the given paths: files as given, directories recursively; sorted by path. */
export function seedFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) walk(join(p, e));
    } else if (/\.ya?ml$/i.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p);
  return [...new Set(out)].sort();
}

/** All objects of the given files (multi-document YAML; `List` kinds flattened). */
export function readManifests(
  files: string[],
): { file: string; object: KubeObject }[] {
  const out: { file: string; object: KubeObject }[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length)
        throw new Error(`${file}: ${doc.errors[0].message}`);
      const v = doc.toJSON();
      if (!isObject(v)) continue;
      if (
        typeof v.kind === 'string' &&
        v.kind.endsWith('List') &&
        Array.isArray(v.items)
      ) {
        for (const i of v.items)
          if (isObject(i)) out.push({ file, object: i as KubeObject });
      } else {
        out.push({ file, object: v as KubeObject });
      }
    }
  }
  return out;
}

function rank(o: KubeObject): number {
  if (o.kind === 'Namespace') return 0;
  if (o.kind === 'CustomResourceDefinition') return 1;
  return 2;
}

/**
 * Creates the seed objects: Namespaces first, then CRDs, then the rest in
 * file order. Returns one message per object that could not be created.
 */
export function applySeed(
  api: ObjectApi,
  paths: string[],
  log: (line: string) => void,
): string[] {
  const manifests = readManifests(seedFiles(paths));
  const ordered = manifests
    .map((m, i) => ({ ...m, i }))
    .sort((a, b) => rank(a.object) - rank(b.object) || a.i - b.i);
  const problems: string[] = [];
  for (const { file, object } of ordered) {
    const { group, version } = parseApiVersion(String(object.apiVersion ?? ''));
    const type = api.registry.findKind(
      group,
      version,
      String(object.kind ?? ''),
    );
    const name = meta(object).name ?? meta(object).generateName ?? '';
    if (!type) {
      problems.push(
        `${file}: ${object.kind} ${name}: no such kind ${object.apiVersion}/${object.kind}`,
      );
      continue;
    }
    const ns = type.namespaced ? meta(object).namespace ?? 'default' : '';
    try {
      api.create(type, ns, object, {
        fieldManager: 'kube-sim-seed',
        fieldValidation: 'Ignore',
      });
      log(`seed: created ${type.plural}/${name}${ns ? ` in ${ns}` : ''}`);
    } catch (e) {
      problems.push(
        `${file}: ${object.kind} ${name}: ${
          e instanceof ApiError ? e.message : String(e)
        }`,
      );
    }
  }
  return problems;
}
