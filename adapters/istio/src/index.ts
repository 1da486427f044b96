/**
 * The Istio adapter for MeshStage's mesh backend.
 *
 * @packageDocumentation
 */
export { meshModuleIstio as default } from './module';
export { IstioAdapter } from './IstioAdapter';
export { istioCharts } from './charts';
export { ISTIO_MESH_CONFIG, ISTIO_MESH_NETWORKS } from './analyzers/meshConfig';
