import { AsyncLocalStorage } from 'node:async_hooks';

/** A request to a cluster that took more than one attempt. */
export interface RetriedRequest {
  /** What was sent: `apply <path>` for server-side applies, else `<METHOD> <path>`. */
  request: string;
  /** Attempts made, the first included. */
  attempts: number;
  /** How each failed attempt failed (`503 Service Unavailable`, `connection reset`), in order. */
  failures: string[];
  /** Whether the last attempt got an answer the caller acts on, rather than failing as well. */
  answered: boolean;
}

/** The requests collected for one piece of work, while it runs. */
interface Collection {
  retried: RetriedRequest[];
  open: boolean;
}

const collector = new AsyncLocalStorage<Collection>();

/**
 * Runs `work` and collects the cluster requests made within it (in its async context: a step of
 * an operation, not the watches or the other operations running meanwhile) that needed more than
 * one attempt. The retry loop reports them, so callers that want to show retries (the operation
 * step log) need no change to the cluster client's API. Resolves with what `work` resolved with.
 */
export async function collectRetries<T>(
  work: () => Promise<T>,
): Promise<{ value: T; retried: RetriedRequest[] }> {
  const collection: Collection = { retried: [], open: true };
  try {
    const value = await collector.run(collection, work);
    return { value, retried: collection.retried };
  } finally {
    // Background work started within keeps the context; it must not add to it for ever.
    collection.open = false;
  }
}

/** Called by the retry loop for each request that needed more than one attempt. */
export function reportRetried(request: RetriedRequest): void {
  const collection = collector.getStore();
  if (collection?.open) collection.retried.push(request);
}
