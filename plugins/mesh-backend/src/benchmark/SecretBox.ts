import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals secret values for storage with AES-256-GCM: what is stored is `sealed:v1:` and the
 * base64 of IV, tag and ciphertext, never the value. The key is derived from a passphrase (the
 * `mesh.benchmark.secretKey` setting) with SHA-256.
 */
export class SecretBox {
  readonly #key: Buffer;

  /** A box whose passphrase exists only in this process: what it seals is lost on restart. */
  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(32).toString('base64'));
  }

  constructor(passphrase: string) {
    if (passphrase.length < 16) {
      throw new Error(
        'mesh.benchmark.secretKey must be at least 16 characters',
      );
    }
    this.#key = createHash('sha256').update(passphrase, 'utf8').digest();
  }

  /** Whether a stored value is a sealed one. */
  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(value: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString(
      'base64',
    )}`;
  }

  /** The value sealed in `sealed`; throws when another key sealed it or it was altered. */
  open(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('not a sealed value');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.#key,
      raw.subarray(0, IV_BYTES),
    );
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Never print the key. */
  toJSON(): string {
    return 'SecretBox';
  }
}
