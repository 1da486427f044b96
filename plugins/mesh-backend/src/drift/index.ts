export { DriftService } from './DriftService';
export { DriftStore } from './DriftStore';
export { createDriftRouter } from './router';
