/**
 * kube-sim: a Kubernetes API server simulator that real kubectl and
 * @kubernetes/client-node work against. MeshStage's development and test cluster.
 *
 * @packageDocumentation
 */
export { startKubeSim } from './sim';
export type { KubeSim, KubeSimOptions, RestartOptions } from './sim';
export type { FailNextOptions, KubeSimFaults } from './faults/control';
export type { FaultRuleStats, InjectedFault } from './faults/injector';
export type { FaultScope, KubeVerb } from './faults/spec';
export { FaultSpecError, parseFaultSpec } from './faults/spec';
export type { LocalImage, LocalImages } from './runtime/local-images';
export { LOOPBACK_ANNOTATION } from './runtime/service-proxies';
/** Entry point of the `kube-sim` command (used by bin/kube-sim). */
export { main as runKubeSimCli } from './cli';
