export { createLifecycleFeature } from './createLifecycleFeature';
export type {
  LifecycleFeature,
  LifecycleFeatureOptions,
} from './createLifecycleFeature';
export { OperationStore, OperationConflictError } from './OperationStore';
export { OperationRunner } from './OperationRunner';
export { OperationService } from './OperationService';
export { createOperationsRouter } from './router';
export { objectKey } from './objectKey';
export type {
  AppliedObject,
  Operation,
  OperationLogEntry,
  OperationState,
  PriorState,
} from './types';
