#!/usr/bin/env node
// Bundles the command lines people put in pipelines into one CommonJS file each, with every
// workspace package and npm dependency inlined, so they start without transpiling anything:
//
//   packages/cli/dist/meshstage.cjs      (meshstage; bin/meshstage runs it)
//   packages/cli/dist/meshstage-kube.cjs (its cluster client, loaded only for --cluster)
//   packages/cli/dist/meshstage-bench.cjs (meshstage bench and its load generator, loaded only
//                                          for that command)
//   packages/loadgen/dist/meshperf.cjs   (meshperf and its worker threads; bin/meshperf runs it)
//
//   node scripts/bundle-cli.mjs [cli|loadgen ...]     (default: both)
//
// Next to each bundle, <bundle>.inputs.json lists the repository files it was built from (and
// yarn.lock) with the build's start time: in a checkout the bin runs the bundle only while none of
// them changed since, and falls back to the sources otherwise, so a stale bundle is never used.
// Each file is written to a temporary name and renamed, so a bin never reads half a bundle.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const BUNDLES = {
  cli: {
    entry: 'packages/cli/src/index.ts',
    out: 'packages/cli/dist/meshstage.cjs',
    // The bins run on whatever `node` is on PATH; Debian 12's is 20.
    target: 'node20',
    // @kubernetes/client-node is two thirds of the CLI and only `--cluster` needs it: its
    // `import('./kubeconfigView')` becomes a second file, so validating files never reads it.
    chunks: [
      {
        specifier: './kubeconfigView',
        entry: 'packages/cli/src/kubeconfigView.ts',
        out: 'packages/cli/dist/meshstage-kube.cjs',
      },
      // meshstage bench: the load generator (undici, grpc-js, HDR histograms) and the backend's
      // profile schema, which validating files never needs. Built like meshperf's bundle: Node
      // 22 (undici 8; the bin checks the version before loading it), and its worker threads
      // load this same file.
      {
        specifier: './bench',
        entry: 'packages/cli/src/bench/index.ts',
        out: 'packages/cli/dist/meshstage-bench.cjs',
        target: 'node22',
        define: { MESHPERF_BUNDLE: 'true' },
        external: [
          '@meshstage/loadgen/package.json',
          '@backstage/cli-node/config/nodeTransform.cjs',
        ],
      },
    ],
    // Only the Linkerd adapter's planner (identity certificates) loads it, lazily; the CLI uses
    // the adapters' analyzers and never plans.
    external: ['@peculiar/x509'],
  },
  loadgen: {
    entry: 'packages/loadgen/src/index.ts',
    out: 'packages/loadgen/dist/meshperf.cjs',
    // undici 8 needs Node 22.19 or newer.
    target: 'node22',
    // Tells threads/pool.ts that worker threads load this very file.
    define: { MESHPERF_BUNDLE: 'true' },
    // Only named by require.resolve on paths the bundle never takes (library and source layouts).
    external: [
      '@meshstage/loadgen/package.json',
      '@backstage/cli-node/config/nodeTransform.cjs',
    ],
  },
};

/** Writes a file atomically (temporary name in the same directory, then rename). */
function writeAtomic(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

async function bundle(name) {
  const spec = BUNDLES[name];
  if (!spec) {
    throw new Error(
      `unknown bundle "${name}" (use ${Object.keys(BUNDLES).join(', ')})`,
    );
  }
  const builtAt = Date.now();
  const outfile = join(root, spec.out);
  const options = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: spec.target,
    format: 'cjs',
    // Whitespace and syntax only: the file loads nearly as fast as a fully minified one, and
    // stack traces keep their function names.
    minifyWhitespace: true,
    minifySyntax: true,
    define: spec.define ?? {},
    // Optional native helpers some dependencies try to load (ws); they fall back without them.
    external: ['bufferutil', 'utf-8-validate', ...(spec.external ?? [])],
    metafile: true,
    write: false,
    logLevel: 'warning',
  };
  const chunks = spec.chunks ?? [];
  const splitChunks = {
    name: 'split-chunks',
    setup(b) {
      b.onResolve({ filter: /^\./ }, args => {
        const chunk = chunks.find(
          c => c.specifier === args.path && args.kind === 'dynamic-import',
        );
        if (!chunk) return undefined;
        const target = relative(dirname(spec.out), chunk.out);
        return { path: `./${target}`, external: true };
      });
    },
  };
  const results = await Promise.all([
    build({
      ...options,
      entryPoints: [spec.entry],
      outfile,
      plugins: [splitChunks],
    }),
    ...chunks.map(c =>
      build({
        ...options,
        // A chunk may differ from its main bundle in target, defines and externals.
        ...(c.target ? { target: c.target } : {}),
        define: { ...options.define, ...c.define },
        external: [...options.external, ...(c.external ?? [])],
        entryPoints: [c.entry],
        outfile: join(root, c.out),
      }),
    ),
  ]);
  const inputs = new Set(['yarn.lock']);
  for (const result of results) {
    for (const f of result.outputFiles) writeAtomic(f.path, f.contents);
    for (const f of Object.keys(result.metafile.inputs)) {
      if (!f.includes('node_modules/') && !f.startsWith('<')) inputs.add(f);
    }
  }
  const files = [...inputs].sort();
  writeAtomic(
    `${outfile}.inputs.json`,
    `${JSON.stringify(
      { builtAt, root: relative(dirname(outfile), root), files },
      null,
      1,
    )}\n`,
  );
  const kib = results
    .map(r => `${Math.round(r.outputFiles[0].contents.length / 1024)} KiB`)
    .join(' + ');
  console.log(
    `bundle-cli: ${[spec.out, ...chunks.map(c => c.out)].join(
      ' + ',
    )} (${kib}, ${files.length} repository inputs) in ${
      Date.now() - builtAt
    } ms`,
  );
}

const names = process.argv.slice(2);
try {
  for (const name of names.length ? names : Object.keys(BUNDLES)) {
    await bundle(name);
  }
} catch (e) {
  console.error(`bundle-cli: ${e.message}`);
  process.exit(1);
}
