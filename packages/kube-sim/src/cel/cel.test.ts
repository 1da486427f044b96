import {
  CelEvalError,
  CelUnsupportedError,
  compileCel,
  evaluateCel,
  parseDuration,
} from './cel';

describe('CEL subset', () => {
  const ev = (src: string, vars: Record<string, unknown> = {}) =>
    evaluateCel(src, vars);

  it('evaluates literals, arithmetic, comparisons and ternaries', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('7 / 2')).toBe(3);
    expect(ev('7.0 / 2.0')).toBe(3.5);
    expect(ev('"a" + \'b\'')).toBe('ab');
    expect(ev('r"\\d" == "\\\\d"')).toBe(true);
    expect(ev("'''x'''")).toBe('x');
    expect(ev('[1, 2] + [3]')).toEqual([1, 2, 3]);
    expect(ev('{"a": 1}.a')).toBe(1);
    expect(ev('0 < self && self <= 65535', { self: 8080 })).toBe(true);
    expect(ev('0 < self && self <= 65535', { self: 70000 })).toBe(false);
    expect(ev('self > 1 ? "big" : "small"', { self: 2 })).toBe('big');
    expect(ev('!(1 == 2)')).toBe(true);
    expect(ev('"b" in ["a", "b"]')).toBe(true);
    expect(ev('"k" in {"k": 1}')).toBe(true);
  });

  it('reads fields, tells has() from missing keys, and absorbs errors in && and ||', () => {
    const self = { spec: { a: 1 }, list: [{ n: 1 }, { n: 2 }] };
    expect(ev('has(self.spec.a)', { self })).toBe(true);
    expect(ev('has(self.spec.b)', { self })).toBe(false);
    expect(() => ev('self.spec.b == 1', { self })).toThrow(CelEvalError);
    expect(ev('has(self.spec.b) && self.spec.b == 1', { self })).toBe(false);
    expect(ev('self.spec.b == 1 || true', { self })).toBe(true);
    expect(ev('false && self.spec.b == 1', { self })).toBe(false);
    expect(
      ev('(has(self.x) ? 1 : 0) + (has(self.spec) ? 1 : 0) <= 1', { self }),
    ).toBe(true);
  });

  it('runs the macros and string, list and url functions the vendors use', () => {
    const self = { a: '1', b: 'x*' };
    expect(ev('self.all(key, !key.contains("*"))', { self })).toBe(true);
    expect(ev('self.exists(k, self[k].contains("*"))', { self })).toBe(true);
    expect(
      ev('self.all(l1, self.exists_one(l2, l1.number == l2.number))', {
        self: [{ number: 1 }, { number: 2 }],
      }),
    ).toBe(true);
    expect(
      ev('self.all(l1, self.exists_one(l2, l1.number == l2.number))', {
        self: [{ number: 1 }, { number: 1 }],
      }),
    ).toBe(false);
    expect(ev('[1, 2, 3].filter(x, x > 1).map(x, x * 2)')).toEqual([4, 6]);
    expect(ev('self.size() == 0', { self: [] })).toBe(true);
    expect(ev('size("héllo")')).toBe(5);
    expect(
      ev('self.startsWith("unix://") ? (self.substring(7, 8) == "/") : true', {
        self: 'unix:///var/run/x.sock',
      }),
    ).toBe(true);
    expect(
      ev('key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$")', {
        key: 'ok-1',
      }),
    ).toBe(true);
    expect(
      ev('url(self).getScheme() in ["http", "https"]', {
        self: 'https://x.io/a',
      }),
    ).toBe(true);
    expect(ev('int("65535") <= 65535')).toBe(true);
    expect(ev('"a,b".split(",")')).toEqual(['a', 'b']);
  });

  it('compares durations in Go syntax and reports bad ones as evaluation errors', () => {
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1.5s')).toBe(1.5);
    expect(parseDuration('-10ms')).toBeCloseTo(-0.01);
    expect(ev("duration(self) >= duration('1ms')", { self: '5s' })).toBe(true);
    expect(ev("duration(self) >= duration('1ms')", { self: '0s' })).toBe(false);
    expect(() =>
      ev("duration(self) >= duration('1ms')", { self: 'soon' }),
    ).toThrow(CelEvalError);
  });

  it('tells unsupported expressions apart from evaluation errors', () => {
    expect(() => compileCel('1 +')).toThrow(CelUnsupportedError);
    expect(() => ev('authorizer.group("").check("get")', {})).toThrow(
      CelUnsupportedError,
    );
    expect(() => ev('self.frobnicate()', { self: 'x' })).toThrow(
      CelUnsupportedError,
    );
    expect(() => ev('1 + "a"')).toThrow(CelEvalError);
    expect(() => ev('[1][3]')).toThrow(CelEvalError);
  });
});
