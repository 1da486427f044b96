/**
 * The small part of semver the chart indexes need: parse, compare (with pre-release precedence)
 * and ranges of comparators (`>=1.22.0 <2`, `1.30.x`, `*`, `||` alternatives). Pre-releases
 * satisfy a range only when one of its comparators names a pre-release of the same
 * major.minor.patch, as in semver.
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: Array<string | number>;
  raw: string;
}

const VERSION =
  /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** A full version (`1.30.3`, `v1.30.3`, `2.0.0-rc.1`); undefined when it is not one. */
export function parseSemver(text: string): SemVer | undefined {
  const m = VERSION.exec(text.trim());
  if (!m || m[2] === undefined || m[3] === undefined) return undefined;
  if (/[xX*]/.test(m[2]) || /[xX*]/.test(m[3])) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4]
      ? m[4].split('.').map(p => (/^\d+$/.test(p) ? Number(p) : p))
      : [],
    raw: text,
  };
}

function compareIds(a: Array<string | number>, b: Array<string | number>) {
  if (a.length === 0 || b.length === 0) return b.length - a.length; // release > pre-release
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') {
      return (a[i] as number) - (b[i] as number);
    }
    if (typeof a[i] === 'number') return -1;
    if (typeof b[i] === 'number') return 1;
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return 0;
}

export function compareSemver(a: SemVer, b: SemVer): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    compareIds(a.prerelease, b.prerelease)
  );
}

interface Comparator {
  op: '<' | '<=' | '>' | '>=' | '=';
  version: SemVer;
}

const sv = (major: number, minor: number, patch: number, pre = ''): SemVer =>
  parseSemver(`${major}.${minor}.${patch}${pre}`)!;

/** One comparator token, with x-ranges expanded (`1.30.x` → `>=1.30.0 <1.31.0-0`). */
function comparatorsOf(token: string): Comparator[] {
  const m = /^(<=|>=|<|>|=)?\s*(.*)$/.exec(token)!;
  const op = (m[1] ?? '=') as Comparator['op'];
  const text = m[2];
  if (text === '*' || text === '' || /^[xX]$/.test(text)) return [];
  const full = parseSemver(text);
  if (full) return [{ op, version: full }];
  const partial = VERSION.exec(text);
  if (!partial) throw new Error(`Invalid version range token '${token}'`);
  const major = Number(partial[1]);
  const minor =
    partial[2] === undefined || /[xX*]/.test(partial[2])
      ? undefined
      : Number(partial[2]);
  const lower = sv(major, minor ?? 0, 0);
  const upper =
    minor === undefined
      ? sv(major + 1, 0, 0, '-0')
      : sv(major, minor + 1, 0, '-0');
  switch (op) {
    case '=':
      return [
        { op: '>=', version: lower },
        { op: '<', version: upper },
      ];
    case '>=':
      return [{ op: '>=', version: lower }];
    case '<':
      return [{ op: '<', version: lower }];
    case '>':
      return [{ op: '>=', version: upper }];
    default:
      return [{ op: '<', version: upper }];
  }
}

function test(c: Comparator, v: SemVer): boolean {
  const d = compareSemver(v, c.version);
  switch (c.op) {
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    default:
      return d === 0;
  }
}

/** Whether `version` is in `range` (comparator sets separated by `||`). */
export function satisfies(version: SemVer, range: string): boolean {
  return range.split('||').some(set => {
    const comparators = set
      .trim()
      .replace(/(<=|>=|<|>|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .flatMap(comparatorsOf);
    if (!comparators.every(c => test(c, version))) return false;
    if (version.prerelease.length === 0) return true;
    return comparators.some(
      c =>
        c.version.prerelease.length > 0 &&
        c.version.major === version.major &&
        c.version.minor === version.minor &&
        c.version.patch === version.patch,
    );
  });
}
