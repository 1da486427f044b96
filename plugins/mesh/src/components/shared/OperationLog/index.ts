export { OperationLog, OperationLogView } from './OperationLog';
export type { OperationLogProps, OperationLogViewProps } from './OperationLog';
