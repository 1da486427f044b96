import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Who made a request, as every stored `createdBy` says it: the user's entity ref
 * (`user:default/ann`), or `service:<subject>` for a service (`service:plugin:mesh` for this
 * plugin's own scheduled and automatic work).
 */
export function principalRef(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.userEntityRef) return principal.userEntityRef;
  return principal.subject ? `service:${principal.subject}` : 'unknown';
}

/** The `createdBy` of what the plugin does on its own (schedules, automatic onboarding). */
export const PLUGIN_PRINCIPAL = 'service:plugin:mesh';
