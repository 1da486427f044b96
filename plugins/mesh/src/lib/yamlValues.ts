/**
 * Parses the values a user types for an install (Helm-style values): a YAML subset that covers
 * what values files use (nested block mappings, block sequences of scalars or mappings, flow
 * `[..]` and `{..}` written as JSON, quoted and plain scalars, comments), or a JSON document.
 * Pure. The backend validates the values again; this gives a clear message before the dry run.
 */

/** The outcome of {@link parseValues}. */
export type ParsedValues =
  | { ok: true; values: Record<string, unknown> | undefined }
  | { ok: false; error: string; line?: number };

class YamlError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

interface Line {
  indent: number;
  text: string;
  /** 1-based line number in the input. */
  n: number;
}

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      return text.slice(0, i);
    }
  }
  return text;
}

function scalar(raw: string, line: number): unknown {
  const v = raw.trim();
  if (v === '' || v === '~' || v === 'null') return null;
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return Number(v);
  if (v.startsWith('"')) {
    try {
      return JSON.parse(v);
    } catch {
      throw new YamlError(
        `unterminated or invalid double-quoted string ${v}`,
        line,
      );
    }
  }
  if (v.startsWith("'")) {
    if (!v.endsWith("'") || v.length < 2) {
      throw new YamlError(`unterminated single-quoted string ${v}`, line);
    }
    return v.slice(1, -1).replace(/''/g, "'");
  }
  if (v.startsWith('[') || v.startsWith('{')) {
    try {
      return JSON.parse(v);
    } catch {
      throw new YamlError(
        `flow collections must be written as JSON here: ${v}`,
        line,
      );
    }
  }
  if (v.startsWith('&') || v.startsWith('*') || v.startsWith('!')) {
    throw new YamlError(
      `anchors, aliases and tags are not supported: ${v}`,
      line,
    );
  }
  if (v === '|' || v === '>' || v.startsWith('|') || v.startsWith('>')) {
    throw new YamlError('block scalars (| and >) are not supported', line);
  }
  return v;
}

/** `key: rest` → [key, rest]; undefined when the text is not a mapping entry. */
function mappingEntry(text: string): [string, string] | undefined {
  const m = text.match(/^("[^"]*"|'[^']*'|[^\s"'#:][^:]*?)\s*:(\s+(.*))?$/);
  if (!m) return undefined;
  let key = m[1];
  if (key.startsWith('"') || key.startsWith("'")) key = key.slice(1, -1);
  return [key, m[3] ?? ''];
}

function parseBlock(
  lines: Line[],
  start: number,
  indent: number,
): [unknown, number] {
  const first = lines[start];
  if (first.text.startsWith('- ') || first.text === '-') {
    const items: unknown[] = [];
    let i = start;
    while (i < lines.length && lines[i].indent === indent) {
      const l = lines[i];
      if (!(l.text.startsWith('- ') || l.text === '-')) {
        throw new YamlError(
          'expected a list item ("- ...") at this indentation',
          l.n,
        );
      }
      const rest = l.text.slice(1).trimStart();
      if (rest === '') {
        if (i + 1 < lines.length && lines[i + 1].indent > indent) {
          const [value, next] = parseBlock(lines, i + 1, lines[i + 1].indent);
          items.push(value);
          i = next;
        } else {
          items.push(null);
          i += 1;
        }
      } else if (mappingEntry(rest) && !rest.startsWith('{')) {
        // "- key: value" starts a mapping whose further keys are indented under the key.
        const inner = indent + (l.text.length - rest.length);
        const sub: Line[] = [{ indent: inner, text: rest, n: l.n }];
        let j = i + 1;
        while (j < lines.length && lines[j].indent > indent) {
          sub.push(lines[j]);
          j++;
        }
        const [value] = parseBlock(sub, 0, inner);
        items.push(value);
        i = j;
      } else {
        items.push(scalar(rest, l.n));
        i += 1;
      }
    }
    if (i < lines.length && lines[i].indent > indent) {
      throw new YamlError('unexpected indentation', lines[i].n);
    }
    return [items, i];
  }
  const map: Record<string, unknown> = {};
  let i = start;
  while (i < lines.length && lines[i].indent === indent) {
    const l = lines[i];
    const entry = mappingEntry(l.text);
    if (!entry) {
      throw new YamlError(`expected "key: value", found "${l.text}"`, l.n);
    }
    const [key, rest] = entry;
    if (Object.prototype.hasOwnProperty.call(map, key)) {
      throw new YamlError(`duplicate key "${key}"`, l.n);
    }
    if (rest.trim() === '') {
      const next = lines[i + 1];
      if (
        next &&
        (next.indent > indent ||
          (next.indent === indent && next.text.startsWith('-')))
      ) {
        const [value, after] = parseBlock(lines, i + 1, next.indent);
        map[key] = value;
        i = after;
        continue;
      }
      map[key] = null;
    } else {
      map[key] = scalar(rest, l.n);
    }
    i += 1;
  }
  if (i < lines.length && lines[i].indent > indent) {
    throw new YamlError('unexpected indentation', lines[i].n);
  }
  return [map, i];
}

/**
 * Values typed as YAML (or JSON): an empty text is no values; anything else must be a mapping.
 * Errors name the line.
 */
export function parseValues(text: string): ParsedValues {
  if (text.trim() === '') return { ok: true, values: undefined };
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed);
      return { ok: true, values: value };
    } catch (e) {
      return { ok: false, error: `Invalid JSON: ${(e as Error).message}` };
    }
  }
  const lines: Line[] = [];
  const raw = text.split(/\r?\n/);
  for (let n = 0; n < raw.length; n++) {
    if (/^\s*\t/.test(raw[n])) {
      return {
        ok: false,
        error: `Line ${n + 1}: tabs cannot indent YAML; use spaces`,
        line: n + 1,
      };
    }
    const body = stripComment(raw[n]).replace(/\s+$/, '');
    if (body.trim() === '' || body.trim() === '---') continue;
    const indent = body.length - body.trimStart().length;
    lines.push({ indent, text: body.trimStart(), n: n + 1 });
  }
  if (lines.length === 0) return { ok: true, values: undefined };
  try {
    const [value, end] = parseBlock(lines, 0, lines[0].indent);
    if (end < lines.length) {
      throw new YamlError('unexpected indentation', lines[end].n);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return {
        ok: false,
        error: 'Values must be a mapping (key: value)',
        line: 1,
      };
    }
    return { ok: true, values: value as Record<string, unknown> };
  } catch (e) {
    if (e instanceof YamlError) {
      return { ok: false, error: `Line ${e.line}: ${e.message}`, line: e.line };
    }
    throw e;
  }
}
