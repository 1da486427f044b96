export {
  createOnboardingFeature,
  ONBOARDING_TASK_ID,
} from './createOnboardingFeature';
export type {
  OnboardingFeature,
  OnboardingFeatureOptions,
} from './createOnboardingFeature';
export { compareOnboarding } from './compareOnboarding';
export { OnboardingService } from './OnboardingService';
export { OnboardingAutomation } from './OnboardingAutomation';
