import { useEffect, useRef } from 'react';

/**
 * Calls `tick` every `intervalMs` while mounted (not at all when `intervalMs` is 0 or absent),
 * skipping a tick while the previous one has not settled. Tests pass a short interval or drive
 * jest's fake timers; nothing here reads the clock.
 */
export function usePolling(
  tick: () => Promise<unknown> | void,
  intervalMs: number | undefined,
): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!intervalMs) return undefined;
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        await latest.current();
      } catch {
        // The caller shows its own errors; polling goes on.
      } finally {
        busy = false;
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}
