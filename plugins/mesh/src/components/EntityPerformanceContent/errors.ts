/** The backend's own message of a failed call (a `ResponseError`'s body), else the error's. */
export function backendMessage(e: unknown): string {
  const body = (e as { body?: { error?: { message?: string } } })?.body;
  return body?.error?.message ?? (e as Error)?.message ?? String(e);
}
