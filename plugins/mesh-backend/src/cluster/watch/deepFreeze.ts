/**
 * Freezes a JSON value and everything in it, so readers can share it without copies and none can
 * change it for the others. Stops at values already frozen (their insides are, too).
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
