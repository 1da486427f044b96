import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A manifest file read from the workspace, named relative to it with `/`. */
export interface WorkspaceManifest {
  name: string;
  content: string;
}

/** The files `meshstage validate` reads in a directory: YAML and JSON. */
const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Reads the manifests under `paths` (files, or directories walked recursively as
 * `meshstage validate` walks them: `.yaml`, `.yml` and `.json` files, sorted, skipping dot
 * entries, `node_modules` and symbolic links), each named relative to the workspace. A path
 * outside the workspace (`..`, an absolute path elsewhere, a symbolic link leading out) or one
 * that does not exist is an InputError naming `paths.<i>`.
 */
export async function readWorkspaceManifests(
  workspacePath: string,
  paths: readonly string[],
): Promise<WorkspaceManifest[]> {
  const found: string[] = [];
  async function walk(dir: string) {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && MANIFEST.test(e.name)) found.push(p);
    }
  }
  for (const [i, p] of paths.entries()) {
    let abs: string;
    try {
      abs = resolveSafeChildPath(workspacePath, p);
    } catch {
      throw new InputError(
        `Invalid input 'paths.${i}': '${p}' is outside the workspace`,
      );
    }
    const stat = await fs.stat(abs).catch(() => undefined);
    if (!stat) {
      throw new InputError(
        `Invalid input 'paths.${i}': '${p}' does not exist in the workspace`,
      );
    }
    if (stat.isDirectory()) await walk(abs);
    else found.push(abs);
  }
  const files = [...new Set(found)];
  return Promise.all(
    files.map(async f => ({
      name: path.relative(workspacePath, f).split(path.sep).join('/'),
      content: await fs.readFile(f, 'utf8'),
    })),
  );
}
