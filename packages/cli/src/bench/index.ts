/**
 * `meshstage bench`, bundled apart from the rest of the CLI (dist/meshstage-bench.cjs) and
 * loaded only when the command runs, so `meshstage validate` never loads the load generator.
 *
 * @packageDocumentation
 */
export { runBench } from './run';
export type { BenchIo } from './run';
// Worker threads (--threads) of the bundled load generator load this same file and call it.
export { runLoadWorker } from '@meshstage/loadgen';
