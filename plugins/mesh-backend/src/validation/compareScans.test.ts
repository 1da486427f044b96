import type { Finding } from '@meshstage/plugin-mesh-common';
import { compareScans } from './compareScans';
import { findingFingerprint } from './fingerprint';

const vs = (name: string, version = 'v1') => ({
  apiVersion: `networking.istio.io/${version}`,
  kind: 'VirtualService',
  namespace: 'shop',
  name,
});

const f = (
  code: string,
  name: string,
  path: string,
  extra: Partial<Finding> = {},
): Finding => ({
  code,
  severity: 'error',
  message: `${code} ${name} ${path}`,
  resource: vs(name),
  path,
  ...extra,
});

describe('findingFingerprint', () => {
  it('is the code, the resource (any version) and the path; not the message or position', () => {
    const a = f('MS0201', 'ratings', '/spec/http/0/route/0/destination/host');
    expect(
      findingFingerprint({
        ...a,
        message: 'other words',
        resource: vs('ratings', 'v1beta1'),
        source: { file: 'x.yaml', line: 3, column: 1 },
      }),
    ).toBe(findingFingerprint(a));
    expect(findingFingerprint({ ...a, code: 'MS0203' })).not.toBe(
      findingFingerprint(a),
    );
    expect(
      findingFingerprint({
        ...a,
        path: '/spec/http/1/route/0/destination/host',
      }),
    ).not.toBe(findingFingerprint(a));
    expect(findingFingerprint({ ...a, resource: vs('reviews') })).not.toBe(
      findingFingerprint(a),
    );
  });

  it('tells findings about the run itself (no resource, no file) apart by their message', () => {
    const refused = (kind: string): Finding => ({
      code: 'MS0005',
      severity: 'warning',
      message: `MeshStage may not list ${kind} objects (rbac.authorization.k8s.io/v1) on this cluster, so the checks that read them (MS0329) were skipped: forbidden`,
    });
    expect(findingFingerprint(refused('ClusterRole'))).toBe(
      findingFingerprint(refused('ClusterRole')),
    );
    expect(findingFingerprint(refused('ClusterRole'))).not.toBe(
      findingFingerprint(refused('ClusterRoleBinding')),
    );
  });
});

describe('compareScans', () => {
  const a = f('MS0201', 'ratings', '/spec/hosts/0');
  const b = f('MS0203', 'reviews', '/spec/http/1');
  const c = f('MS0211', 'productpage', '/spec/http/1/match');
  const stored = (...findings: Finding[]) =>
    findings.map(finding => ({
      fingerprint: findingFingerprint(finding),
      finding,
    }));

  it('makes the first scan the baseline: nothing new, nothing fixed', () => {
    const result = compareScans([a, b], undefined);
    expect(result.findings.map(x => x.new)).toEqual([false, false]);
    expect(result.fixed).toEqual([]);
  });

  it('marks findings the previous scan lacked as new and lists the ones gone as fixed', () => {
    const result = compareScans([a, c], stored(a, b));
    expect(result.findings.map(x => [x.finding.code, x.new])).toEqual([
      ['MS0201', false],
      ['MS0211', true],
    ]);
    expect(result.fixed).toEqual(stored(b));
  });

  it('everything is new after a scan with no findings', () => {
    expect(compareScans([a], []).findings[0].new).toBe(true);
  });
});
