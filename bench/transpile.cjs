// How bench/api.mjs transpiles the workspace's TypeScript ahead of time (see
// transpiledRequire.cjs): backstage-cli's development transform without its inline source maps.
const { createHash } = require('node:crypto');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

function transpile(code, filename) {
  return transformSync(code, {
    filename,
    sourceMaps: false,
    module: { type: 'commonjs', ignoreDynamic: true },
    jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
  }).code;
}

/** Where a source file's JavaScript is kept in `dir`. */
function cacheFile(dir, filename) {
  return join(dir, `${createHash('sha1').update(filename).digest('hex')}.js`);
}

module.exports = { transpile, cacheFile };
