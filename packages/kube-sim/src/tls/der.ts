/**
 * The few DER (ASN.1 distinguished encoding) building blocks an X.509
 * certificate needs. Each function returns one complete TLV.
 */

/** Tag, definite length, value. */
export function tlv(tag: number, value: Buffer): Buffer {
  const len = value.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, value]);
}

/** SEQUENCE of already encoded elements. */
export function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** SET of already encoded elements (only single-element sets are used, so no sorting). */
export function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

/** INTEGER from unsigned big-endian bytes (a leading 0 is added when the top bit is set). */
export function integer(value: Buffer | number): Buffer {
  const hex = typeof value === 'number' ? value.toString(16) : '';
  let bytes =
    typeof value === 'number'
      ? Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
      : value;
  // DER: minimal encoding, so strip redundant leading zeros first
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && bytes[i + 1] < 0x80) i++;
  bytes = bytes.subarray(i);
  if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** BOOLEAN. */
export function boolean(value: boolean): Buffer {
  return tlv(0x01, Buffer.from([value ? 0xff : 0]));
}

/** OBJECT IDENTIFIER from dotted form, e.g. `2.5.4.3`. */
export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const groups: number[] = [p & 0x7f];
    for (let n = Math.floor(p / 128); n > 0; n = Math.floor(n / 128))
      groups.unshift((n & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTF8String. */
export function utf8String(s: string): Buffer {
  return tlv(0x0c, Buffer.from(s, 'utf8'));
}

/** OCTET STRING. */
export function octetString(value: Buffer): Buffer {
  return tlv(0x04, value);
}

/** BIT STRING of whole bytes (no unused bits). */
export function bitString(value: Buffer): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), value]));
}

/**
 * A named-bit BIT STRING (keyUsage): `bits` are the bit numbers that are set,
 * bit 0 being the most significant; DER drops trailing zero bits.
 */
export function namedBits(bits: number[]): Buffer {
  const max = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)] |= 0x80 >> b % 8;
  const unused = 7 - (max % 8);
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/**
 * UTCTime before 2050, GeneralizedTime from then on, as RFC 5280 requires
 * (seconds precision, `Z`).
 */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-11-25T13:32:47.123Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, ''); // 20261125133247
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

/** Context-specific tag: `[n]` constructed (explicit) wrapping an element. */
export function explicit(n: number, inner: Buffer): Buffer {
  return tlv(0xa0 | n, inner);
}

/** Context-specific primitive `[n]` (implicit) with raw contents, e.g. GeneralName choices. */
export function implicitPrimitive(n: number, contents: Buffer): Buffer {
  return tlv(0x80 | n, contents);
}
