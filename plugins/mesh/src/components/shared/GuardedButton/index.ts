export { GuardedButton, visuallyHidden } from './GuardedButton';
export type { GuardedButtonPermission } from './GuardedButton';
