import { applyJsonPatch, PatchError } from './json-patch';
import { applyMergePatch } from './merge-patch';

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: [1, 2, 3] }, c: 'x' };

  it('applies add, remove, replace, move, copy and test', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/b/1', value: 9 },
      { op: 'add', path: '/a/b/-', value: 4 },
      { op: 'remove', path: '/a/b/0' },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'test', path: '/e~1f', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [9, 2, 3, 4] }, c: 'y', 'e/f': 'y' });
    expect(doc).toEqual({ a: { b: [1, 2, 3] }, c: 'x' });
  });

  it('fails on a failed test or a missing path', () => {
    expect(() =>
      applyJsonPatch(doc, [{ op: 'test', path: '/c', value: 'nope' }]),
    ).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/zzz' }])).toThrow(
      PatchError,
    );
    expect(() =>
      applyJsonPatch(doc, [{ op: 'replace', path: '/a/q/r', value: 1 }]),
    ).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(PatchError);
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes nulls, replaces arrays', () => {
    expect(
      applyMergePatch(
        { a: 'b', c: { d: 'e', f: 'g' }, l: [1] },
        { a: 'z', c: { f: null }, l: [2, 3] },
      ),
    ).toEqual({ a: 'z', c: { d: 'e' }, l: [2, 3] });
    expect(applyMergePatch({ a: 1 }, { b: { c: null } })).toEqual({
      a: 1,
      b: {},
    });
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
  });
});
