/**
 * MeshStage's scaffolder actions.
 *
 * @packageDocumentation
 */
export {};
