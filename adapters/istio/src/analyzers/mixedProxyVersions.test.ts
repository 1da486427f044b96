import { brief, run } from './__testUtils__/run';
import { mixedProxyVersionsAnalyzer } from './mixedProxyVersions';

function pod(name: string, tag: string, rev?: string) {
  return `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
${rev ? `  labels: {istio.io/rev: ${rev}}\n` : ''}spec:
  containers:
    - name: app
    - name: istio-proxy
      image: docker.io/istio/proxyv2:${tag}
`;
}

describe('MS0216 mixed proxy versions', () => {
  it('flags the pods off the namespace majority version and revision', () => {
    const findings = run(
      mixedProxyVersionsAnalyzer,
      pod('a', '1.24.2', '1-24') +
        pod('b', '1.24.2', '1-24') +
        pod('c', '1.23.4', '1-23'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0216',
        istioCode: undefined,
        resource: 'Pod/shop/c',
        path: '/metadata/labels/istio.io~1rev',
        line: 31,
      },
      {
        code: 'MS0216',
        istioCode: undefined,
        resource: 'Pod/shop/c',
        path: '/spec/containers/1/image',
        line: 36,
      },
    ]);
    expect(findings[1].message).toBe(
      'Pod "c" runs istio-proxy 1.23.4 while other pods of namespace "shop" run 1.24.2.',
    );
  });

  it('is quiet when every proxy agrees', () => {
    expect(
      run(mixedProxyVersionsAnalyzer, pod('a', '1.24.2') + pod('b', '1.24.2')),
    ).toEqual([]);
  });
});
