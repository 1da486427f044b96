import { SecretBox } from './SecretBox';

describe('SecretBox', () => {
  const box = new SecretBox('a passphrase of some length');

  it('seals a value so that neither it nor a repeat of it shows, and opens it again', () => {
    const a = box.seal('Bearer t0ken');
    const b = box.seal('Bearer t0ken');
    expect(a).toMatch(/^sealed:v1:[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain('t0ken');
    // A fresh IV each time: equal values are not recognisable as equal.
    expect(a).not.toBe(b);
    expect([box.open(a), box.open(b)]).toEqual([
      'Bearer t0ken',
      'Bearer t0ken',
    ]);
  });

  it('refuses what another passphrase sealed, and altered values', () => {
    const sealed = box.seal('Bearer t0ken');
    expect(() => new SecretBox('another passphrase!!').open(sealed)).toThrow();
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(`sealed:v1:${raw.toString('base64')}`)).toThrow();
  });

  it('wants a passphrase of 16 characters or more, and never prints it', () => {
    expect(() => new SecretBox('short')).toThrow(
      'mesh.benchmark.secretKey must be at least 16 characters',
    );
    expect(JSON.stringify({ box })).toBe('{"box":"SecretBox"}');
  });
});
