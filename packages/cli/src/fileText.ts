/** Where a file's bytes stop being text: invalid UTF-8 or a NUL byte. */
export interface TextProblem {
  /** 1-based line of the first bad byte. */
  line: number;
  /** 1-based column, in bytes, of the first bad byte. */
  column: number;
  /** What is wrong, e.g. `byte 0xff is not valid UTF-8`. */
  reason: string;
}

/** Largest manifest, settings or profile file the CLI reads (a whole cluster's YAML is far less). */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

/** `1.5 MiB`: a size for messages. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function position(bytes: Uint8Array, offset: number) {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Decodes a file's bytes as UTF-8 the way Node does (each invalid sequence becomes U+FFFD) and
 * says where the first invalid sequence or NUL byte is, since Kubernetes and Istio refuse both
 * while a silent replacement would hide them. Pure.
 */
export function decodeFileText(bytes: Uint8Array): {
  text: string;
  problem?: TextProblem;
} {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('utf8');
  // Re-encoding turns each invalid sequence into EF BF BD: the first byte that differs starts it.
  const again = Buffer.from(text, 'utf8');
  let bad = -1;
  const n = Math.min(buffer.length, again.length);
  for (let i = 0; i < n; i++) {
    if (buffer[i] !== again[i]) {
      bad = i;
      break;
    }
  }
  if (bad < 0 && buffer.length !== again.length) bad = n;
  const nul = buffer.indexOf(0);
  if (bad < 0 && nul < 0) return { text };
  if (nul >= 0 && (bad < 0 || nul < bad)) {
    return { text, problem: { ...position(buffer, nul), reason: 'NUL byte' } };
  }
  const byte = buffer[bad]?.toString(16).padStart(2, '0') ?? 'end';
  return {
    text,
    problem: {
      ...position(buffer, bad),
      reason:
        byte === 'end'
          ? 'the file ends inside a UTF-8 sequence'
          : `byte 0x${byte} is not valid UTF-8`,
    },
  };
}
