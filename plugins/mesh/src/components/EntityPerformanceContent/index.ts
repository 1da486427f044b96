export { EntityPerformanceContent } from './EntityPerformanceContent';
