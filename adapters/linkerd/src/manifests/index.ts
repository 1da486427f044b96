export {
  renderLinkerdControlPlane,
  isSharedLinkerdObject,
  LINKERD_DEPLOYMENT_ORDER,
  LINKERD_REGISTRY,
} from './controlPlane';
export type { LinkerdRenderOptions } from './controlPlane';
export { planLinkerd } from './plan';
