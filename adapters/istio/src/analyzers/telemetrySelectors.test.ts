import { run } from './__testUtils__/run';
import { telemetrySelectorsAnalyzer } from './telemetrySelectors';

const pod = (name: string, labels: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: ${labels}}
spec: {containers: [{name: app}]}
`;
const telemetry = (name: string, labels: string, ns = 'shop') => `---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: ${labels}}
  tracing: [{randomSamplingPercentage: 10}]
`;

const found = (yaml: string) =>
  run(telemetrySelectorsAnalyzer, yaml).map(f => [
    f.code,
    f.istioCode,
    f.resource?.name,
  ]);

describe('MS0253/MS0254 Telemetry selectors (IST0101/IST0159)', () => {
  it('flags a selector matching no Pod of its namespace, and Telemetries selecting the same Pod', () => {
    expect(
      found(
        pod('cart-1', '{app: cart, version: v1}') +
          telemetry('typo', '{app: kart}') +
          telemetry('elsewhere', '{app: cart}', 'web') +
          telemetry('by-app', '{app: cart}') +
          telemetry('by-version', '{version: v1}'),
      ),
    ).toEqual([
      ['MS0253', 'IST0101', 'typo'],
      ['MS0253', 'IST0101', 'elsewhere'],
      ['MS0254', 'IST0159', 'by-app'],
      ['MS0254', 'IST0159', 'by-version'],
    ]);
  });

  it('is quiet for Telemetries selecting different Pods, and for those without a selector', () => {
    expect(
      found(
        `${
          pod('cart-1', '{app: cart}') +
          pod('web-1', '{app: web}') +
          telemetry('cart', '{app: cart}') +
          telemetry('web', '{app: web}')
        }---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: namespace-wide, namespace: shop}
spec: {tracing: [{randomSamplingPercentage: 1}]}
`,
      ),
    ).toEqual([]);
  });
});
