/**
 * Types, permissions and annotations shared by MeshStage's frontend and backend.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './types';
export * from './findings';
export * from './lifecycle';
export * from './drift';
export * from './benchmarks';
export * from './validation';
export * from './operations';
export * from './fleet';
export * from './topology';
export * from './onboarding';
