import fs from 'node:fs/promises';
import path from 'node:path';

/** The files validation reads in a directory: YAML and JSON. */
const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * The manifest files under a directory, as `meshstage validate` and the scaffolder's
 * `mesh:validate` read directories: `.yaml`, `.yml` and `.json` files, recursively, in name
 * order, skipping dot entries, `node_modules` and symbolic links.
 */
export async function listManifestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string) {
    const entries = await fs.readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && MANIFEST.test(e.name)) out.push(p);
    }
  }
  await walk(dir);
  return out;
}
