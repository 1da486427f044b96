import type { OperationConflictBody } from '@meshstage/plugin-mesh-common';

/** A 409 from the lifecycle routes: the backend's message and, when another operation holds the lock, its id. */
export interface OperationConflict {
  message: string;
  /** The operation in progress on the cluster and mesh. */
  operationId?: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The conflict an error stands for, if it is a 409 `ResponseError` of the lifecycle routes
 * (`{error, operationId}` body); undefined for any other error.
 */
export function operationConflict(
  error: unknown,
): OperationConflict | undefined {
  const e = error as {
    name?: string;
    statusCode?: number;
    body?: Partial<OperationConflictBody>;
    cause?: { message?: string };
    message?: string;
  };
  if (!e || e.statusCode !== 409) return undefined;
  const message =
    e.body?.error?.message ?? e.cause?.message ?? e.message ?? 'Conflict';
  const operationId =
    e.body?.operationId ??
    // The lock holder's message names it: "Operation <id> is in progress on ...".
    (/^Operation \S+ is in progress/.test(message)
      ? UUID.exec(message)?.[0]
      : undefined);
  return operationId ? { message, operationId } : { message };
}

/** The most useful message of an error: the backend's (a ResponseError's cause), else its own. */
export function errorMessage(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e?.cause?.message || e?.message || String(error);
}
