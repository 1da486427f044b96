/**
 * kube-sim: a Kubernetes API server simulator that real kubectl and
 * @kubernetes/client-node work against. MeshStage's development and test cluster.
 *
 * @packageDocumentation
 */
export { startKubeSim } from './sim';
export type { KubeSim, KubeSimOptions } from './sim';
export type { LocalImage, LocalImages } from './runtime/local-images';
export { LOOPBACK_ANNOTATION } from './runtime/service-proxies';
/** Entry point of the `kube-sim` command (used by bin/kube-sim). */
export { main as runKubeSimCli } from './cli';
