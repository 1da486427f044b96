/** One field read from protobuf wire format. */
export interface WireField {
  field: number;
  wireType: number;
  /** Varint value (wire type 0), as a number (values here fit in 53 bits). */
  varint?: number;
  /** Length-delimited payload (wire type 2). */
  bytes?: Buffer;
}

/** Splits a protobuf message into its fields (unknown wire types end the scan). */
export function readFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) out.push({ field, wireType, varint: varint() });
    else if (wireType === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new Error('truncated field');
      out.push({ field, wireType, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
  return out;
}
