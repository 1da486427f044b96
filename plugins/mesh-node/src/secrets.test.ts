import { compareManagedFields } from './compareManagedFields';
import { renderPlanDiff } from './planDiff';
import {
  MemoryPlanSecrets,
  REDACTED,
  materializeSecrets,
  plannedSecret,
  redactPrivateKeys,
} from './secrets';

const KEY =
  '-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const base = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'issuer', namespace: 'linkerd' },
  type: 'kubernetes.io/tls',
};

describe('plan secrets', () => {
  it('keeps private values out of the planned Secret and fills them in to apply', () => {
    const secrets = new MemoryPlanSecrets();
    const planned = plannedSecret(base, secrets, {
      public: { 'tls.crt': 'CERT' },
      private: { 'tls.key': KEY },
    });
    expect(planned.data).toEqual({
      'tls.crt': b64('CERT'),
      'tls.key': REDACTED,
    });
    expect(JSON.stringify({ planned, secrets })).not.toContain('PRIVATE KEY');
    expect(materializeSecrets(planned, secrets, undefined).data).toEqual({
      'tls.crt': b64('CERT'),
      'tls.key': b64(KEY),
    });
  });

  it('keeps the live value when no secret was kept (a resumed run), and fails naming the key otherwise', () => {
    const planned = { ...base, data: { 'tls.key': REDACTED } };
    const live = { ...base, data: { 'tls.key': b64(KEY) } };
    expect(materializeSecrets(planned, undefined, live).data).toEqual({
      'tls.key': b64(KEY),
    });
    expect(() => materializeSecrets(planned, undefined, undefined)).toThrow(
      'Secret/linkerd/issuer key tls.key is not available',
    );
  });

  it('redacts private keys of stored Secrets and never compares or prints redacted values', () => {
    const live = {
      ...base,
      data: {
        'tls.crt': b64('CERT'),
        'tls.key': b64(KEY),
        'ca.crt': b64('CA'),
      },
    };
    expect(redactPrivateKeys(live).data).toEqual({
      'tls.crt': b64('CERT'),
      'tls.key': REDACTED,
      'ca.crt': b64('CA'),
    });
    const desired = {
      ...base,
      data: { 'tls.crt': b64('NEW'), 'tls.key': REDACTED },
    };
    expect(compareManagedFields(desired, live)).toEqual([
      { path: '/data/tls.crt', desired: b64('NEW'), live: b64('CERT') },
    ]);
    const diff = renderPlanDiff(
      {
        request: { action: 'rotate-issuer', mesh: 'linkerd', cluster: 'dev' },
        summary: 'rotate',
        steps: [{ type: 'apply', description: 'apply', object: desired }],
      },
      { existing: () => live },
    );
    expect(diff).not.toContain(b64(KEY));
  });
});
