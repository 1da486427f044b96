// Preloaded into the backends bench/api.mjs measures (BENCH_MODE=built, the default): the
// workspace's TypeScript is served as JavaScript transpiled ahead of time into
// MESHSTAGE_BENCH_JS_CACHE (by bench/api.mjs, with SWC and without inline source maps), so the
// measured process holds what a built backend holds. backstage-cli's development transform
// (`yarn start`) transpiles each file on load with an inline source map; on MeshStage's ~450 files
// that costs ~50 MB of RSS a deployed backend never has. A file missing from the cache is
// transpiled here the same way.
const { readFileSync } = require('node:fs');
const { createRequire, register } = require('node:module');
const { pathToFileURL } = require('node:url');
const { cacheFile, transpile } = require('./transpile.cjs');

const cliNode = createRequire(
  require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
);
const { addHook } = cliNode('pirates');
const cacheDir = process.env.MESHSTAGE_BENCH_JS_CACHE;

addHook(
  (code, filename) => {
    try {
      return readFileSync(cacheFile(cacheDir, filename), 'utf8');
    } catch {
      return transpile(code, filename);
    }
  },
  { extensions: ['.ts', '.cts'], ignoreNodeModules: true },
);

// Dynamic import()s of the workspace's packages (packages/backend's `backend.add(import(...))`)
// resolve through backstage-cli's module hooks, which hand CommonJS back to the hook above.
register(
  pathToFileURL(
    require.resolve('@backstage/cli-node/config/nodeTransformHooks.mjs'),
  ),
  pathToFileURL(__filename),
);
