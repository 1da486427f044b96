import { run } from './__testUtils__/run';
import { namespaceInjectionAnalyzer } from './namespaceInjection';

const ns = (name: string, labels = '{}') => `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${labels}}
`;
const injector = (enabled: boolean, name = 'istio-sidecar-injector') => `---
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: istio-system}
data:
  values: '{"sidecarInjectorWebhook": {"enableNamespacesByDefault": ${enabled}}}'
`;

const codes = (yaml: string) =>
  run(namespaceInjectionAnalyzer, yaml, { otherMesh: true }).map(f => [
    f.code,
    f.istioCode,
    f.resource?.name,
  ]);

describe('MS0243/MS0244/MS0245 namespace injection labels (IST0102/IST0123/IST0148)', () => {
  it('flags a namespace without injection labels and one with two kinds of them', () => {
    expect(
      codes(
        ns('shop') +
          ns('busy', '{istio-injection: enabled, istio.io/rev: canary}') +
          ns(
            'mixed',
            '{istio.io/rev: canary, istio.io/dataplane-mode: ambient}',
          ),
      ),
    ).toEqual([
      ['MS0243', 'IST0102', 'shop'],
      ['MS0244', 'IST0123', 'busy'],
      ['MS0244', 'IST0123', 'mixed'],
    ]);
  });

  it('reports injection by default instead when the injector enables namespaces by default', () => {
    expect(codes(injector(true) + ns('shop'))).toEqual([
      ['MS0245', 'IST0148', 'shop'],
    ]);
    expect(codes(injector(false) + ns('shop'))).toEqual([
      ['MS0243', 'IST0102', 'shop'],
    ]);
  });

  it('is quiet for one injection label, disabled or ambient namespaces, istio-system and namespaces another mesh injects', () => {
    expect(
      codes(
        `${
          ns('a', '{istio-injection: enabled}') +
          ns('b', '{istio.io/rev: canary}') +
          ns('c', '{istio-injection: disabled}') +
          ns('d', '{istio-injection: disabled, istio.io/rev: canary}') +
          ns('e', '{istio.io/dataplane-mode: ambient}') +
          ns('istio-system')
        }---
apiVersion: v1
kind: Namespace
metadata: {name: linkerd-app, annotations: {linkerd.io/inject: enabled}}
`,
      ),
    ).toEqual([]);
  });
});
