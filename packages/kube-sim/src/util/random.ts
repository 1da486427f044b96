import { randomBytes, randomUUID } from 'node:crypto';

// The alphabet Kubernetes uses for generated names and pod-template-hash values:
// no vowels (no accidental words) and no easily confused characters.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** n random characters from the Kubernetes "safe" alphabet (as in generateName). */
export function randomSuffix(n = 5): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++)
    out += SAFE_ALPHABET[bytes[i] % SAFE_ALPHABET.length];
  return out;
}

/** Encodes a number with the safe alphabet, as rand.SafeEncodeString does for hashes. */
export function safeEncode(n: number): string {
  const digits = String(n >>> 0);
  let out = '';
  for (const d of digits)
    out += SAFE_ALPHABET[d.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

/** 32-bit FNV-1a hash of a string. */
export function fnv32a(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function newUid(): string {
  return randomUUID();
}
