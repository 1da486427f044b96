export { readValidationConfig } from './config';
export type { ValidationConfig } from './config';
export { EntityFindingsService } from './EntityFindingsService';
export { createValidationRouter } from './router';
export {
  scanAllClusters,
  scheduleValidationScans,
  VALIDATION_SCAN_TASK_ID,
} from './scheduleScans';
export { ValidationService } from './ValidationService';
export { ValidationStore } from './ValidationStore';
export { createValidationFeature } from './createValidationFeature';
