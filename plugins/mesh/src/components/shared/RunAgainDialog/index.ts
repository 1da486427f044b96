export { RunAgainDialog, type RunAgainDialogProps } from './RunAgainDialog';
