import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import { listManifestFiles } from '@meshstage/validation';

/** A manifest file read from the workspace, named relative to it with `/`. */
export interface WorkspaceManifest {
  name: string;
  content: string;
}

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
    if (stat.isDirectory()) found.push(...(await listManifestFiles(abs)));
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
