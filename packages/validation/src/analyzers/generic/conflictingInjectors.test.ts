import { brief, run } from '../../__testUtils__';
import { conflictingInjectorsAnalyzer } from './conflictingInjectors';

describe('MS0103 conflicting injectors', () => {
  it('flags a namespace injected by two meshes', () => {
    const findings = run(
      conflictingInjectorsAnalyzer,
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
  annotations: {linkerd.io/inject: enabled}
`,
    );
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS0103',
        resource: 'Namespace//shop',
        path: '/metadata',
        line: 3,
      },
    ]);
    expect(findings[0].message).toContain('istio, linkerd');
  });

  it('is quiet when the second mesh is disabled', () => {
    expect(
      run(
        conflictingInjectorsAnalyzer,
        `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
  annotations: {linkerd.io/inject: disabled}
`,
      ),
    ).toEqual([]);
  });
});
