import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';

type AuditMeta = NonNullable<AuditorServiceCreateEventOptions['meta']>;

/**
 * Runs a mutation inside an audit event: the event is created before the action (so the attempt
 * is on record whatever happens next), then marked a success, with the meta the result gives, or
 * a failure with the error, which is rethrown for the router's error handler.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: AuditorServiceCreateEventOptions,
  action: () => Promise<T>,
  successMeta?: (result: T) => AuditMeta | undefined,
): Promise<T> {
  const ev = await auditor.createEvent(event);
  let result: T;
  try {
    result = await action();
  } catch (error) {
    await ev.fail({ error: error as Error });
    throw error;
  }
  const meta = successMeta?.(result);
  await ev.success(meta ? { meta } : undefined);
  return result;
}
