export { EntityValidationContent } from './EntityValidationContent';
