/**
 * The Istio adapter for MeshStage's mesh backend.
 *
 * @packageDocumentation
 */
export { meshModuleIstio as default } from './module';
export { IstioAdapter } from './IstioAdapter';
export { istioCharts } from './charts';
