export { OperationDialog } from './OperationDialog';
export type { OperationDialogProps } from './OperationDialog';
