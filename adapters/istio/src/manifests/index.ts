export {
  renderIstioControlPlane,
  renderIstioRevisionTag,
  revisionTagWebhookName,
  istioInjectorWebhooks,
  istioHub,
  revisionForVersion,
  revisioned,
  isSharedIstioObject,
  ISTIO_NAMESPACE,
  ISTIO_HUB,
} from './controlPlane';
export type {
  IstioRenderOptions,
  IstioRevisionTagOptions,
} from './controlPlane';
export { planIstio } from './plan';
