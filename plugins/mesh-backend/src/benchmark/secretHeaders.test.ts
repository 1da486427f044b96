import { profileInputSchema, type ProfileSpec } from './profileSchema';
import { SecretBox } from './SecretBox';
import {
  maskSecretHeaders,
  openSecretHeaders,
  redactSecrets,
  sealSecretHeaders,
} from './secretHeaders';

const box = new SecretBox('the test passphrase');

const profile = (headers: Record<string, string>, secretHeaders?: string[]) =>
  profileInputSchema.parse({
    name: 'p',
    endpoints: [
      { url: 'http://127.0.0.1:9/', headers, secretHeaders },
      { url: 'http://127.0.0.1:9/other', headers: { 'X-Plain': 'yes' } },
    ],
  }) as ProfileSpec;

describe('secret headers', () => {
  it('must name headers of their endpoint', () => {
    const parsed = profileInputSchema.safeParse({
      name: 'p',
      endpoints: [
        {
          url: 'http://127.0.0.1:9/',
          headers: { Authorization: 'x' },
          secretHeaders: ['authorization', 'X-Missing'],
        },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(
      parsed.error!.issues.map(i => [i.path.join('.'), i.message]),
    ).toEqual([
      [
        'endpoints.0.secretHeaders.1',
        "'X-Missing' is not one of the endpoint's headers",
      ],
    ]);
  });

  it('are sealed for storage, masked for responses and opened to run, names compared case-insensitively', () => {
    const spec = profile({ Authorization: 'Bearer abc123', 'X-Trace': 'on' }, [
      'authorization',
    ]);
    const sealed = sealSecretHeaders(spec, box);
    const stored = sealed.endpoints[0].headers!;
    expect(stored.Authorization).toMatch(/^sealed:v1:/);
    expect(stored['X-Trace']).toBe('on');
    expect(JSON.stringify(sealed)).not.toContain('abc123');
    // Sealing a stored profile again (a run queued from it) changes nothing.
    expect(sealSecretHeaders(sealed, box)).toEqual(sealed);

    expect(maskSecretHeaders(sealed).endpoints[0].headers).toEqual({
      Authorization: '***',
      'X-Trace': 'on',
    });
    expect(maskSecretHeaders(sealed).endpoints[1]).toEqual(spec.endpoints[1]);

    const opened = openSecretHeaders(sealed, box);
    expect(opened.profile).toEqual(spec);
    expect(opened.values).toEqual(['Bearer abc123']);
  });

  it("keep the stored value when an update sends '***', and refuse '***' where nothing is stored", () => {
    const before = sealSecretHeaders(
      profile({ Authorization: 'Bearer abc123' }, ['Authorization']),
      box,
    );
    const update = profile({ authorization: '***' }, ['Authorization']);
    const after = sealSecretHeaders(update, box, { previous: before });
    expect(openSecretHeaders(after, box).profile.endpoints[0].headers).toEqual({
      authorization: 'Bearer abc123',
    });
    expect(() => sealSecretHeaders(update, box)).toThrow(
      "Invalid body field 'endpoints.0.headers.authorization': '***' keeps a stored secret value, and there is none; give the value",
    );
  });

  it('say which header cannot be opened under another key, never its value', () => {
    const sealed = sealSecretHeaders(
      profile({ Authorization: 'Bearer abc123' }, ['Authorization']),
      box,
    );
    expect(() =>
      openSecretHeaders(sealed, new SecretBox('some other passphrase')),
    ).toThrow(
      /^the secret value of header Authorization of endpoint 0 cannot be read: it was saved under another mesh.benchmark.secretKey/,
    );
  });

  it('are taken out of error messages, longest first', () => {
    expect(
      redactSecrets('refused Bearer abc123 (token abc)', [
        'abc',
        'Bearer abc123',
      ]),
    ).toBe('refused *** (token ***)');
  });
});
