/**
 * The Linkerd adapter for MeshStage's mesh backend.
 *
 * @packageDocumentation
 */
export { meshModuleLinkerd as default } from './module';
export { LinkerdAdapter } from './LinkerdAdapter';
export { linkerdCharts } from './charts';
