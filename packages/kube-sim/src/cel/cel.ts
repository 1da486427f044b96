import { deepEqual, isObject } from '../util/objects';

/**
 * A subset of CEL (the Common Expression Language), enough for what Kubernetes
 * evaluates with it in the objects MeshStage meets: CRD `x-kubernetes-validations`
 * rules and admission webhook `matchConditions`.
 *
 * Supported: literals (int, uint, double, string incl. raw and triple-quoted,
 * bytes as strings, bool, null, lists, maps), `. [] ()`, `! -`, `* / %`,
 * `+ -`, `< <= > >= == != in`, `&& ||` (with CEL's error absorption), `?:`,
 * the macros `has`, `all`, `exists`, `exists_one`, `map`, `filter`, and the
 * functions listed in {@link FUNCTIONS} / {@link METHODS} (strings, lists,
 * `duration`, `timestamp`, `url`, conversions).
 *
 * Two kinds of failure: {@link CelEvalError} is an error CEL itself would
 * raise at run time (no such key, bad duration, wrong operand types), and
 * {@link CelUnsupportedError} means the expression uses something this subset
 * does not implement (or does not parse). Callers decide what an unsupported
 * expression means for them; it is never silently treated as true or false here.
 */

export class CelEvalError extends Error {}
export class CelUnsupportedError extends Error {}

type Node =
  | { t: 'lit'; v: unknown; double?: boolean }
  | { t: 'id'; name: string }
  | { t: 'member'; obj: Node; name: string }
  | { t: 'index'; obj: Node; key: Node }
  | { t: 'call'; fn: string; target?: Node; args: Node[] }
  | { t: 'list'; items: Node[] }
  | { t: 'map'; entries: [Node, Node][] }
  | { t: 'unary'; op: string; arg: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'cond'; c: Node; a: Node; b: Node };

/** A CEL duration, in (fractional) seconds. */
export class CelDuration {
  constructor(readonly seconds: number) {}
}
/** A CEL timestamp. */
export class CelTimestamp {
  constructor(readonly ms: number) {}
}
class CelUrl {
  constructor(readonly url: URL) {}
}
/** A CEL uint (kept apart from ints only for `type`-sensitive equality). */
class CelType {
  constructor(readonly name: string) {}
}

interface Token {
  k: 'num' | 'str' | 'id' | 'op' | 'eof';
  v: string;
  num?: number;
  pos: number;
}

const OPS = [
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '!',
  '+',
  '-',
  '*',
  '/',
  '%',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

function unsupported(msg: string): never {
  throw new CelUnsupportedError(msg);
}

function unescape(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs,
    (_m, e: string) => {
      if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U')
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
      const map: Record<string, string> = {
        n: '\n',
        r: '\r',
        t: '\t',
        b: '\b',
        f: '\f',
        v: '\v',
        a: '\x07',
      };
      return map[e] ?? e;
    },
  );
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    // string literals, with optional r/b prefixes
    const pre = /^([rRbB]{0,2})(?='|")/.exec(src.slice(i));
    if (pre && (c === '"' || c === "'" || /[rRbB]/.test(c))) {
      const raw = /[rR]/.test(pre[1]);
      let j = i + pre[1].length;
      const q = src[j];
      const triple = src.slice(j, j + 3) === q.repeat(3);
      const delim = triple ? q.repeat(3) : q;
      j += delim.length;
      let body = '';
      for (;;) {
        if (j >= src.length) unsupported('unterminated string literal');
        if (!raw && src[j] === '\\') {
          body += src.slice(j, j + 2);
          j += 2;
          continue;
        }
        if (src.startsWith(delim, j)) break;
        if (!triple && src[j] === '\n') unsupported('newline in string');
        body += src[j++];
      }
      out.push({ k: 'str', v: unescape(body, raw), pos: i });
      i = j + delim.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m =
        /^0[xX][0-9a-fA-F]+[uU]?|^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[uU]?/.exec(
          src.slice(i),
        )!;
      const text = m[0].replace(/[uU]$/, '');
      out.push({ k: 'num', v: m[0], num: Number(text), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ k: 'id', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const at = i;
    const op = OPS.find(o => src.startsWith(o, at));
    if (!op) unsupported(`unexpected character '${c}' at ${i}`);
    out.push({ k: 'op', v: op, pos: i });
    i += op.length;
  }
  out.push({ k: 'eof', v: '', pos: src.length });
  return out;
}

const RESERVED = new Set([
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private accept(v: string): boolean {
    const t = this.peek();
    if ((t.k === 'op' || t.k === 'id') && t.v === v) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(v: string): void {
    if (!this.accept(v))
      unsupported(
        `expected '${v}' at ${this.peek().pos}, got '${this.peek().v}'`,
      );
  }

  parse(): Node {
    const n = this.expr();
    if (this.peek().k !== 'eof')
      unsupported(`unexpected '${this.peek().v}' at ${this.peek().pos}`);
    return n;
  }

  private expr(): Node {
    const c = this.or();
    if (this.accept('?')) {
      const a = this.or();
      this.expect(':');
      const b = this.expr();
      return { t: 'cond', c, a, b };
    }
    return c;
  }
  private or(): Node {
    let l = this.and();
    while (this.accept('||')) l = { t: 'bin', op: '||', l, r: this.and() };
    return l;
  }
  private and(): Node {
    let l = this.rel();
    while (this.accept('&&')) l = { t: 'bin', op: '&&', l, r: this.rel() };
    return l;
  }
  private rel(): Node {
    let l = this.add();
    for (;;) {
      const t = this.peek();
      if (
        (t.k === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.v)) ||
        (t.k === 'id' && t.v === 'in')
      ) {
        this.i++;
        l = { t: 'bin', op: t.v, l, r: this.add() };
      } else return l;
    }
  }
  private add(): Node {
    let l = this.mul();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && (t.v === '+' || t.v === '-')) {
        this.i++;
        l = { t: 'bin', op: t.v, l, r: this.mul() };
      } else return l;
    }
  }
  private mul(): Node {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && ['*', '/', '%'].includes(t.v)) {
        this.i++;
        l = { t: 'bin', op: t.v, l, r: this.unary() };
      } else return l;
    }
  }
  private unary(): Node {
    if (this.accept('!')) return { t: 'unary', op: '!', arg: this.unary() };
    if (this.accept('-')) return { t: 'unary', op: '-', arg: this.unary() };
    return this.postfix(this.primary());
  }
  private args(close: string): Node[] {
    const out: Node[] = [];
    if (this.accept(close)) return out;
    do {
      if (this.peek().v === close) break; // trailing comma
      out.push(this.expr());
    } while (this.accept(','));
    this.expect(close);
    return out;
  }
  private postfix(start: Node): Node {
    let n = start;
    for (;;) {
      if (this.accept('.')) {
        const id = this.next();
        if (id.k !== 'id') unsupported(`expected a field name at ${id.pos}`);
        if (this.accept('(')) {
          n = { t: 'call', fn: id.v, target: n, args: this.args(')') };
        } else {
          n = { t: 'member', obj: n, name: id.v };
        }
      } else if (this.accept('[')) {
        const key = this.expr();
        this.expect(']');
        n = { t: 'index', obj: n, key };
      } else return n;
    }
  }
  private primary(): Node {
    const t = this.next();
    if (t.k === 'num') {
      return {
        t: 'lit',
        v: t.num,
        double: !/^0[xX]/.test(t.v) && /[.eE]/.test(t.v),
      };
    }
    if (t.k === 'str') return { t: 'lit', v: t.v };
    if (t.k === 'id') {
      if (t.v === 'true') return { t: 'lit', v: true };
      if (t.v === 'false') return { t: 'lit', v: false };
      if (t.v === 'null') return { t: 'lit', v: null };
      if (RESERVED.has(t.v) || t.v === 'in')
        unsupported(`reserved word '${t.v}'`);
      if (this.accept('(')) return { t: 'call', fn: t.v, args: this.args(')') };
      return { t: 'id', name: t.v };
    }
    if (t.k === 'op' && t.v === '(') {
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t.k === 'op' && t.v === '[')
      return { t: 'list', items: this.args(']') };
    if (t.k === 'op' && t.v === '{') {
      const entries: [Node, Node][] = [];
      if (!this.accept('}')) {
        do {
          if (this.peek().v === '}') break;
          const k = this.expr();
          this.expect(':');
          entries.push([k, this.expr()]);
        } while (this.accept(','));
        this.expect('}');
      }
      return { t: 'map', entries };
    }
    if (t.k === 'op' && t.v === '.') {
      // leading-dot qualified identifier (.name): root scope
      return this.primary();
    }
    return unsupported(`unexpected '${t.v}' at ${t.pos}`);
  }
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null_type';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (v instanceof CelDuration) return 'google.protobuf.Duration';
  if (v instanceof CelTimestamp) return 'google.protobuf.Timestamp';
  if (v instanceof CelUrl) return 'kubernetes.URL';
  if (v instanceof CelType) return 'type';
  return 'map';
}

function noOverload(fn: string, ...args: unknown[]): never {
  throw new CelEvalError(
    `no such overload: ${fn}(${args.map(typeName).join(', ')})`,
  );
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Parses a Go duration string (`1h30m`, `1.5s`, `-10ms`), as CEL's duration() does. */
export function parseDuration(s: string): number {
  const m = /^([-+]?)((?:\d*\.?\d+(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(s);
  if (!m) throw new CelEvalError(`invalid duration: ${JSON.stringify(s)}`);
  let total = 0;
  for (const part of m[2].matchAll(/(\d*\.?\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(part[1]) * DURATION_UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}

function toRegExp(re: string): RegExp {
  let flags = 'u';
  let pattern = re;
  const inline = /^\(\?([ims]+)\)/.exec(pattern);
  if (inline) {
    pattern = pattern.slice(inline[0].length);
    flags += inline[1];
  }
  try {
    return new RegExp(pattern, flags);
  } catch {
    return unsupported(`regular expression not supported: ${re}`);
  }
}

function str(v: unknown, fn: string): string {
  if (typeof v !== 'string') noOverload(fn, v);
  return v;
}

function size(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isObject(v) && !(v instanceof CelDuration)) return Object.keys(v).length;
  return noOverload('size', v);
}

function toInt(v: unknown): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CelEvalError('integer overflow');
    return Math.trunc(v);
  }
  if (typeof v === 'string') {
    if (!/^[-+]?\d+$/.test(v))
      throw new CelEvalError(`cannot convert ${JSON.stringify(v)} to int`);
    return Number(v);
  }
  if (v instanceof CelDuration) return Math.trunc(v.seconds * 1e9);
  if (v instanceof CelTimestamp) return Math.floor(v.ms / 1000);
  return noOverload('int', v);
}

function celString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof CelDuration) return `${v.seconds}s`;
  if (v instanceof CelTimestamp) return new Date(v.ms).toISOString();
  return noOverload('string', v);
}

/** Global functions: name → implementation over evaluated arguments. */
const FUNCTIONS: Record<string, (...a: unknown[]) => unknown> = {
  size: v => size(v),
  int: v => toInt(v),
  uint: v => {
    const n = toInt(v);
    if (n < 0) throw new CelEvalError('uint overflow');
    return n;
  },
  double: v => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v)))
      return Number(v);
    return noOverload('double', v);
  },
  string: v => celString(v),
  bool: v => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      if (['true', 'True', 'TRUE', 't', '1'].includes(v)) return true;
      if (['false', 'False', 'FALSE', 'f', '0'].includes(v)) return false;
    }
    throw new CelEvalError(`cannot convert ${JSON.stringify(v)} to bool`);
  },
  bytes: v => str(v, 'bytes'),
  dyn: v => v,
  type: v => new CelType(typeName(v)),
  duration: v => new CelDuration(parseDuration(str(v, 'duration'))),
  timestamp: v => {
    const ms = Date.parse(str(v, 'timestamp'));
    if (isNaN(ms)) throw new CelEvalError(`invalid timestamp ${v}`);
    return new CelTimestamp(ms);
  },
  url: v => {
    try {
      return new CelUrl(new URL(str(v, 'url')));
    } catch (e) {
      if (e instanceof CelEvalError) throw e;
      throw new CelEvalError(`URL parse error during conversion from string`);
    }
  },
  isURL: v => {
    try {
      return !!new URL(str(v, 'isURL'));
    } catch {
      return false;
    }
  },
  matches: (s, re) => toRegExp(str(re, 'matches')).test(str(s, 'matches')),
};

/** Receiver-style functions: `target.name(args)`. */
const METHODS: Record<string, (self: unknown, ...a: unknown[]) => unknown> = {
  size: s => size(s),
  contains: (s, x) => str(s, 'contains').includes(str(x, 'contains')),
  startsWith: (s, x) => str(s, 'startsWith').startsWith(str(x, 'startsWith')),
  endsWith: (s, x) => str(s, 'endsWith').endsWith(str(x, 'endsWith')),
  matches: (s, re) => toRegExp(str(re, 'matches')).test(str(s, 'matches')),
  lowerAscii: s => str(s, 'lowerAscii').toLowerCase(),
  upperAscii: s => str(s, 'upperAscii').toUpperCase(),
  trim: s => str(s, 'trim').trim(),
  charAt: (s, i) => [...str(s, 'charAt')][toInt(i)] ?? '',
  indexOf: (s, x) => {
    if (Array.isArray(s)) return s.findIndex(e => celEquals(e, x));
    const text = str(s, 'indexOf');
    const i = text.indexOf(str(x, 'indexOf'));
    return i < 0 ? -1 : [...text.slice(0, i)].length;
  },
  lastIndexOf: (s, x) => {
    if (Array.isArray(s)) {
      for (let i = s.length - 1; i >= 0; i--) if (celEquals(s[i], x)) return i;
      return -1;
    }
    const i = str(s, 'lastIndexOf').lastIndexOf(str(x, 'lastIndexOf'));
    return i < 0 ? -1 : [...str(s, 'lastIndexOf').slice(0, i)].length;
  },
  substring: (s, start, end) => {
    const cps = [...str(s, 'substring')];
    const a = toInt(start);
    const b = end === undefined ? cps.length : toInt(end);
    if (a < 0 || b > cps.length || a > b)
      throw new CelEvalError(
        `index out of range: substring(${a}${
          end === undefined ? '' : `, ${b}`
        })`,
      );
    return cps.slice(a, b).join('');
  },
  replace: (s, a, b) =>
    str(s, 'replace').split(str(a, 'replace')).join(str(b, 'replace')),
  split: (s, sep) => str(s, 'split').split(str(sep, 'split')),
  join: (l, sep) => {
    if (!Array.isArray(l)) return noOverload('join', l);
    return l
      .map(e => str(e, 'join'))
      .join(sep === undefined ? '' : str(sep, 'join'));
  },
  isSorted: l => {
    if (!Array.isArray(l)) return noOverload('isSorted', l);
    for (let i = 1; i < l.length; i++)
      if (compare(l[i - 1], l[i]) > 0) return false;
    return true;
  },
  sum: l => {
    if (!Array.isArray(l)) return noOverload('sum', l);
    return l.reduce((a: number, b) => a + (b as number), 0);
  },
  min: l => {
    if (!Array.isArray(l) || !l.length)
      throw new CelEvalError('min of empty list');
    return l.reduce((a, b) => (compare(a, b) <= 0 ? a : b));
  },
  max: l => {
    if (!Array.isArray(l) || !l.length)
      throw new CelEvalError('max of empty list');
    return l.reduce((a, b) => (compare(a, b) >= 0 ? a : b));
  },
  getScheme: u => urlOf(u).protocol.replace(/:$/, ''),
  getHost: u => urlOf(u).host,
  getHostname: u => urlOf(u).hostname,
  getPort: u => urlOf(u).port,
  getEscapedPath: u => urlOf(u).pathname,
  getQuery: u => {
    const q: Record<string, string[]> = {};
    urlOf(u).searchParams.forEach((v, k) => (q[k] ??= []).push(v));
    return q;
  },
  getSeconds: d => Math.trunc(durationOf(d)),
  getMilliseconds: d => Math.trunc(durationOf(d) * 1000),
  getMinutes: d => Math.trunc(durationOf(d) / 60),
  getHours: d => Math.trunc(durationOf(d) / 3600),
};

function urlOf(u: unknown): URL {
  if (!(u instanceof CelUrl)) return noOverload('url', u);
  return u.url;
}
function durationOf(d: unknown): number {
  if (!(d instanceof CelDuration)) return noOverload('duration', d);
  return d.seconds;
}

function celEquals(a: unknown, b: unknown): boolean {
  if (a instanceof CelDuration && b instanceof CelDuration)
    return a.seconds === b.seconds;
  if (a instanceof CelTimestamp && b instanceof CelTimestamp)
    return a.ms === b.ms;
  if (a instanceof CelType && b instanceof CelType) return a.name === b.name;
  return deepEqual(a === undefined ? null : a, b === undefined ? null : b);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean')
    return Number(a) - Number(b);
  if (a instanceof CelDuration && b instanceof CelDuration)
    return a.seconds - b.seconds;
  if (a instanceof CelTimestamp && b instanceof CelTimestamp)
    return a.ms - b.ms;
  return noOverload('_<_', a, b);
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') noOverload(what, v);
  return v;
}

type Env = Record<string, unknown>;

const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function evaluate(n: Node, env: Env): unknown {
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'id':
      if (!(n.name in env)) {
        return unsupported(`undeclared reference to '${n.name}'`);
      }
      return env[n.name];
    case 'member': {
      const o = evaluate(n.obj, env);
      if (isPlainMap(o)) {
        if (
          !Object.prototype.hasOwnProperty.call(o, n.name) ||
          o[n.name] === undefined
        )
          throw new CelEvalError(`no such key: ${n.name}`);
        return o[n.name];
      }
      return noOverload(`.${n.name}`, o);
    }
    case 'index': {
      const o = evaluate(n.obj, env);
      const k = evaluate(n.key, env);
      if (Array.isArray(o)) {
        if (typeof k !== 'number' || !Number.isInteger(k))
          noOverload('_[_]', o, k);
        if (k < 0 || k >= o.length)
          throw new CelEvalError(`index out of bounds: ${k}`);
        return o[k];
      }
      if (isPlainMap(o)) {
        const key = String(k);
        if (!Object.prototype.hasOwnProperty.call(o, key))
          throw new CelEvalError(`no such key: ${key}`);
        return o[key];
      }
      return noOverload('_[_]', o, k);
    }
    case 'list':
      return n.items.map(i => evaluate(i, env));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of n.entries)
        out[String(evaluate(k, env))] = evaluate(v, env);
      return out;
    }
    case 'unary': {
      const v = evaluate(n.arg, env);
      if (n.op === '!') return !bool(v, '!_');
      if (typeof v === 'number') return -v;
      if (v instanceof CelDuration) return new CelDuration(-v.seconds);
      return noOverload('-_', v);
    }
    case 'cond':
      return bool(evaluate(n.c, env), '_?_:_')
        ? evaluate(n.a, env)
        : evaluate(n.b, env);
    case 'bin':
      return binary(n, env);
    case 'call':
      return call(n, env);
    default:
      return unsupported('unknown node');
  }
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return (
    isObject(v) &&
    !(v instanceof CelDuration) &&
    !(v instanceof CelTimestamp) &&
    !(v instanceof CelUrl) &&
    !(v instanceof CelType)
  );
}

function binary(n: Extract<Node, { t: 'bin' }>, env: Env): unknown {
  if (n.op === '&&' || n.op === '||') {
    // CEL's commutative logic: a decisive side wins over an error on the other
    const decisive = n.op === '||';
    let err: unknown;
    let l: boolean | undefined;
    try {
      l = bool(evaluate(n.l, env), `_${n.op}_`);
      if (l === decisive) return decisive;
    } catch (e) {
      if (e instanceof CelUnsupportedError) throw e;
      err = e;
    }
    const r = bool(evaluate(n.r, env), `_${n.op}_`);
    if (r === decisive) return decisive;
    if (err) throw err;
    return !decisive;
  }
  const l = evaluate(n.l, env);
  const r = evaluate(n.r, env);
  switch (n.op) {
    case '==':
      return celEquals(l, r);
    case '!=':
      return !celEquals(l, r);
    case '<':
      return compare(l, r) < 0;
    case '<=':
      return compare(l, r) <= 0;
    case '>':
      return compare(l, r) > 0;
    case '>=':
      return compare(l, r) >= 0;
    case 'in':
      if (Array.isArray(r)) return r.some(e => celEquals(e, l));
      if (isPlainMap(r))
        return Object.prototype.hasOwnProperty.call(r, String(l));
      return noOverload('@in', l, r);
    case '+':
      if (typeof l === 'number' && typeof r === 'number') return l + r;
      if (typeof l === 'string' && typeof r === 'string') return l + r;
      if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
      if (l instanceof CelDuration && r instanceof CelDuration)
        return new CelDuration(l.seconds + r.seconds);
      if (l instanceof CelTimestamp && r instanceof CelDuration)
        return new CelTimestamp(l.ms + r.seconds * 1000);
      return noOverload('_+_', l, r);
    case '-':
      if (typeof l === 'number' && typeof r === 'number') return l - r;
      if (l instanceof CelDuration && r instanceof CelDuration)
        return new CelDuration(l.seconds - r.seconds);
      if (l instanceof CelTimestamp && r instanceof CelTimestamp)
        return new CelDuration((l.ms - r.ms) / 1000);
      return noOverload('_-_', l, r);
    case '*':
      if (typeof l === 'number' && typeof r === 'number') return l * r;
      return noOverload('_*_', l, r);
    case '/':
    case '%': {
      if (typeof l !== 'number' || typeof r !== 'number')
        return noOverload(`_${n.op}_`, l, r);
      const isDouble = (x: Node) => x.t === 'lit' && !!x.double;
      const ints =
        Number.isInteger(l) &&
        Number.isInteger(r) &&
        !isDouble(n.l) &&
        !isDouble(n.r);
      if (ints && r === 0)
        throw new CelEvalError(
          n.op === '/' ? 'division by zero' : 'modulus by zero',
        );
      if (n.op === '%') return l % r;
      return ints ? Math.trunc(l / r) : l / r;
    }
    default:
      return unsupported(`operator ${n.op}`);
  }
}

function call(n: Extract<Node, { t: 'call' }>, env: Env): unknown {
  if (!n.target && n.fn === 'has') {
    const arg = n.args[0];
    if (n.args.length !== 1 || arg.t !== 'member')
      return unsupported('has() needs a field selection');
    const o = evaluate(arg.obj, env);
    if (!isPlainMap(o)) return noOverload('has', o);
    return (
      Object.prototype.hasOwnProperty.call(o, arg.name) &&
      o[arg.name] !== undefined &&
      o[arg.name] !== null
    );
  }
  if (n.target && MACROS.has(n.fn) && n.args[0]?.t === 'id') {
    const target = evaluate(n.target, env);
    let elems: unknown[];
    if (Array.isArray(target)) elems = target;
    else if (isPlainMap(target)) elems = Object.keys(target);
    else elems = noOverload(n.fn, target);
    const v = n.args[0].name;
    const run = (body: Node, e: unknown) => evaluate(body, { ...env, [v]: e });
    switch (n.fn) {
      case 'all': {
        let err: unknown;
        for (const e of elems) {
          try {
            if (!bool(run(n.args[1], e), 'all')) return false;
          } catch (x) {
            if (x instanceof CelUnsupportedError) throw x;
            err ??= x;
          }
        }
        if (err) throw err;
        return true;
      }
      case 'exists': {
        let err: unknown;
        for (const e of elems) {
          try {
            if (bool(run(n.args[1], e), 'exists')) return true;
          } catch (x) {
            if (x instanceof CelUnsupportedError) throw x;
            err ??= x;
          }
        }
        if (err) throw err;
        return false;
      }
      case 'exists_one':
        return (
          elems.filter(e => bool(run(n.args[1], e), 'exists_one')).length === 1
        );
      case 'filter':
        return elems.filter(e => bool(run(n.args[1], e), 'filter'));
      case 'map':
        if (n.args.length === 3)
          return elems
            .filter(e => bool(run(n.args[1], e), 'map'))
            .map(e => run(n.args[2], e));
        return elems.map(e => run(n.args[1], e));
      default:
        break;
    }
  }
  if (n.target) {
    const m = METHODS[n.fn];
    if (!m) return unsupported(`undeclared function '${n.fn}'`);
    const target = evaluate(n.target, env);
    return m(target, ...n.args.map(a => evaluate(a, env)));
  }
  const args = n.args.map(a => evaluate(a, env));
  const f = FUNCTIONS[n.fn];
  if (!f) return unsupported(`undeclared function '${n.fn}'`);
  return f(...args);
}

/** Rejects calls of functions outside the subset at parse time, as CEL's type checker would. */
function checkFunctions(n: Node): void {
  switch (n.t) {
    case 'member':
      return checkFunctions(n.obj);
    case 'index':
      checkFunctions(n.obj);
      return checkFunctions(n.key);
    case 'list':
      return n.items.forEach(checkFunctions);
    case 'map':
      return n.entries.forEach(([k, v]) => {
        checkFunctions(k);
        checkFunctions(v);
      });
    case 'unary':
      return checkFunctions(n.arg);
    case 'bin':
      checkFunctions(n.l);
      return checkFunctions(n.r);
    case 'cond':
      checkFunctions(n.c);
      checkFunctions(n.a);
      return checkFunctions(n.b);
    case 'call': {
      const known = n.target
        ? METHODS[n.fn] || MACROS.has(n.fn)
        : FUNCTIONS[n.fn] || n.fn === 'has';
      if (!known) unsupported(`undeclared reference to '${n.fn}'`);
      if (n.target) checkFunctions(n.target);
      return n.args.forEach(checkFunctions);
    }
    default:
      return undefined;
  }
}

/** A parsed expression; parse once, evaluate many times. */
export interface CelProgram {
  source: string;
  /** Evaluates with the given variables; throws CelEvalError or CelUnsupportedError. */
  evaluate(vars: Record<string, unknown>): unknown;
}

const cache = new Map<string, CelProgram | CelUnsupportedError>();

/** Parses a CEL expression (cached); throws CelUnsupportedError when it does not parse. */
export function compileCel(source: string): CelProgram {
  let p = cache.get(source);
  if (!p) {
    try {
      const ast = new Parser(tokenize(source)).parse();
      checkFunctions(ast);
      p = { source, evaluate: vars => evaluate(ast, vars) };
    } catch (e) {
      p =
        e instanceof CelUnsupportedError
          ? e
          : new CelUnsupportedError(String(e));
    }
    if (cache.size > 5000) cache.clear();
    cache.set(source, p);
  }
  if (p instanceof CelUnsupportedError) throw p;
  return p;
}

/** Parses and evaluates in one go. */
export function evaluateCel(
  source: string,
  vars: Record<string, unknown>,
): unknown {
  return compileCel(source).evaluate(vars);
}
