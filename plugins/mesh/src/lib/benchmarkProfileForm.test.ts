import type { BenchmarkProfile } from '@meshstage/plugin-mesh-common';
import {
  SAMPLE_ECHO,
  emptyProfileForm,
  fieldErrorFromMessage,
  formToProfile,
  profileToForm,
  withSampleEcho,
} from './benchmarkProfileForm';

describe('profile form', () => {
  it('builds an in-cluster profile for the sample echo target', () => {
    const form = withSampleEcho(emptyProfileForm());
    expect(formToProfile(form, 'component:default/echo')).toEqual({
      errors: {},
      profile: {
        name: 'echo',
        endpoints: [{ url: SAMPLE_ECHO.url, method: 'GET' }],
        protocol: 'http1',
        engine: 'undici',
        connections: 4,
        rate: 0,
        duration: '10s',
        warmup: '1s',
        entityRef: 'component:default/echo',
        inCluster: { cluster: 'dev', namespace: 'echo', pods: 1 },
      },
    });
  });

  it('parses headers, rate and bodies, and reports what it cannot parse', () => {
    const form = {
      ...emptyProfileForm(),
      name: 'post',
      forEntity: false,
      loadMode: 'rate' as const,
      rate: '500',
      endpoints: [
        {
          url: ' http://127.0.0.1:8080/echo ',
          method: 'post',
          headers: 'Content-Type: application/json\nX-Trace: a:b',
          body: '{"a":1}',
        },
      ],
    };
    expect(formToProfile(form, 'component:default/echo').profile).toEqual(
      expect.objectContaining({
        rate: 500,
        endpoints: [
          {
            url: 'http://127.0.0.1:8080/echo',
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Trace': 'a:b' },
            body: '{"a":1}',
          },
        ],
      }),
    );
    expect(
      formToProfile(form, 'component:default/echo').profile,
    ).not.toHaveProperty('entityRef');
    expect(
      formToProfile({
        ...form,
        rate: '',
        connections: 'four',
        endpoints: [{ ...form.endpoints[0], headers: 'nocolon' }],
      }).errors,
    ).toEqual({
      connections: 'Expected a number',
      rate: expect.stringMatching(/rate above 0/),
      'endpoints.0.headers': expect.stringMatching(/Name: value/),
    });
  });

  it('round-trips a stored profile', () => {
    const stored: BenchmarkProfile = {
      id: 'p1',
      createdBy: 'user:default/guest',
      createdAt: '',
      updatedAt: '',
      name: 'echo',
      endpoints: [{ url: 'http://x/', method: 'GET', headers: { A: 'b' } }],
      protocol: 'http2',
      engine: 'undici',
      connections: 8,
      rate: 100,
      duration: '5s',
      threads: 1,
      jitter: 0,
      loadGenerator: 'meshstage',
      inCluster: { cluster: 'dev', namespace: 'echo', pods: 2 },
    };
    const form = profileToForm(stored);
    expect(form).toMatchObject({
      loadMode: 'rate',
      rate: '100',
      inCluster: true,
      pods: '2',
      forEntity: false,
    });
    expect(formToProfile(form).profile).toMatchObject({
      protocol: 'http2',
      connections: 8,
      rate: 100,
      endpoints: [{ url: 'http://x/', method: 'GET', headers: { A: 'b' } }],
      inCluster: { cluster: 'dev', namespace: 'echo', pods: 2 },
    });
  });

  it("maps the backend's 400 onto a field", () => {
    expect(
      fieldErrorFromMessage(
        "Invalid body field 'endpoints.0.url': host example.com is not allowed",
      ),
    ).toEqual({
      field: 'endpoints.0.url',
      message: 'host example.com is not allowed',
    });
    expect(
      fieldErrorFromMessage(
        "Invalid body field 'profile.connections': at most 64",
      ),
    ).toEqual({ field: 'connections', message: 'at most 64' });
    expect(fieldErrorFromMessage('Not allowed')).toBeUndefined();
  });
});
