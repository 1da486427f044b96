/**
 * Where this package lives on disk, in source and in bundled layouts alike.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The directory of the @meshstage/loadgen package (the one holding its package.json). */
export function packageRoot(): string {
  // Walking up from this file works from src/ and from a dist/ bundle alike.
  // eslint-disable-next-line no-restricted-syntax
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      JSON.parse(readFileSync(pkg, 'utf8')).name === '@meshstage/loadgen'
    )
      return dir;
    const up = dirname(dir);
    // Bundled into another package's build: ask the module resolver instead.
    if (up === dir)
      return dirname(require.resolve('@meshstage/loadgen/package.json'));
    dir = up;
  }
}
