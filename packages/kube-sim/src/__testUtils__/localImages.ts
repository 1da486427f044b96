import { resolve } from 'node:path';
import { LocalImages } from '../runtime/local-images';

/** packages/loadgen/bin/meshperf (runs the TypeScript sources through the Backstage transform). */
export const MESHPERF = resolve(__dirname, '../../../loadgen/bin/meshperf');

/** How the dev cluster runs our images (scripts/dev.mjs passes the same). */
export const LOCAL_IMAGES: LocalImages = {
  'meshstage/loadgen': { command: [process.execPath, MESHPERF] },
  'meshstage/echo': { command: [process.execPath, MESHPERF], args: ['server'] },
};
