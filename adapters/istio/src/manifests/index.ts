export {
  renderIstioControlPlane,
  revisionForVersion,
  revisioned,
  isSharedIstioObject,
  ISTIO_NAMESPACE,
  ISTIO_HUB,
} from './controlPlane';
export type { IstioRenderOptions } from './controlPlane';
export { planIstio } from './plan';
