import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { stringify } from 'yaml';
import type { ServedChart } from './chartRepo';
import { tarGz } from './chartRepo';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/**
 * The vendors' rendered manifests (`../shared/vendor-manifests` beside the repository): test data
 * read in place, never copied into the repository. Undefined when that directory is absent.
 */
export function vendorManifestsDir(): string | undefined {
  const dir = path.resolve(REPO_ROOT, '../shared/vendor-manifests');
  return fs.existsSync(dir) ? dir : undefined;
}

export const VENDOR_MANIFESTS_MISSING =
  'vendor manifests not found at ../shared/vendor-manifests (beside the repository)';

/** A vendor file's text, with every `[from, to]` replaced (to serve it as another version). */
export function vendorText(
  relative: string,
  replace: Array<[string, string]> = [],
): string {
  const dir = vendorManifestsDir();
  if (!dir) throw new Error(VENDOR_MANIFESTS_MISSING);
  let text = fs.readFileSync(path.join(dir, relative), 'utf8');
  for (const [from, to] of replace) text = text.split(from).join(to);
  return text;
}

/** The objects of a YAML text, in order. */
export function objectsOf(text: string): any[] {
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter(o => o && typeof o === 'object' && o.kind);
}

/**
 * A chart whose templates are the vendor's rendered output (its `{{` escaped, so helm renders
 * it back as it was), each template optionally inside `{{- if <condition> }}`: helm renders the
 * vendor's objects again. `appVersion` names the mesh version where the chart version differs.
 */
export function renderedChart(options: {
  name: string;
  version: string;
  appVersion?: string;
  templates: Array<{ text: string; condition?: string }>;
}): ServedChart {
  const files: Record<string, string> = {
    [`${options.name}/Chart.yaml`]: stringify({
      apiVersion: 'v2',
      name: options.name,
      version: options.version,
      ...(options.appVersion ? { appVersion: options.appVersion } : {}),
    }),
    [`${options.name}/values.yaml`]: stringify({ revisionTags: [] }),
  };
  options.templates.forEach((t, i) => {
    const body = t.text.replace(/\{\{/g, '{{`{{`}}');
    files[`${options.name}/templates/vendor-${i}.yaml`] = t.condition
      ? `{{- if ${t.condition} }}\n${body}\n{{- end }}\n`
      : body;
  });
  return {
    name: options.name,
    version: options.version,
    appVersion: options.appVersion,
    archive: tarGz(files),
  };
}
