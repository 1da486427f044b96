import { echoSampleApp, type SampleApp } from '@meshstage/plugin-mesh-node';
import { emojivotoSampleApp } from './emojivoto';

/** The samples the Linkerd adapter deploys. */
export const linkerdSampleApps: SampleApp[] = [
  emojivotoSampleApp,
  echoSampleApp,
];
