/**
 * MeshStage's mesh backend plugin: mesh status per cluster and per catalog entity.
 *
 * @packageDocumentation
 */
export { meshPlugin as default } from './plugin';
