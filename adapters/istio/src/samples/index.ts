import { echoSampleApp, type SampleApp } from '@meshstage/plugin-mesh-node';
import { bookinfoSampleApp } from './bookinfo';

/** The samples the Istio adapter deploys. */
export const istioSampleApps: SampleApp[] = [bookinfoSampleApp, echoSampleApp];
