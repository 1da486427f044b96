import { meshConfigDoc } from './__testUtils__/meshConfig';
import { run } from './__testUtils__/run';
import { telemetryDefaultsAnalyzer } from './telemetryDefaults';

const telemetry = (name: string, spec: string, ns = 'shop') => `---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: ${name}, namespace: ${ns}}
spec: ${spec}
`;

const found = (yaml: string) =>
  run(telemetryDefaultsAnalyzer, yaml).map(f => [
    f.code,
    f.istioCode,
    f.resource?.name,
  ]);

describe('MS0255/MS0256/MS0257 Telemetry defaults (IST0160/IST0157/IST0002)', () => {
  it('flags two namespace-wide Telemetries, access logging without providers, and Lightstep tracing', () => {
    expect(
      found(
        telemetry('one', '{metrics: [{providers: [{name: prometheus}]}]}') +
          telemetry('two', '{accessLogging: [{}]}') +
          telemetry(
            'traces',
            '{selector: {matchLabels: {app: cart}}, tracing: [{providers: [{name: ls}]}]}',
          ) +
          meshConfigDoc(
            'extensionProviders: [{name: ls, lightstep: {service: ls.example.com, port: 8080, accessToken: t}}]',
          ),
      ),
    ).toEqual([
      ['MS0255', 'IST0160', 'one'],
      ['MS0255', 'IST0160', 'two'],
      ['MS0256', 'IST0157', 'two'],
      ['MS0257', 'IST0002', 'traces'],
    ]);
  });

  it('is quiet with a default access log provider, disabled logging, other namespaces and providers', () => {
    expect(
      found(
        telemetry('a', '{accessLogging: [{}]}') +
          telemetry('b', '{accessLogging: [{}]}', 'web') +
          telemetry(
            'c',
            '{selector: {matchLabels: {app: x}}, tracing: [{providers: [{name: otel}]}]}',
          ) +
          meshConfigDoc('defaultProviders: {accessLogging: [envoy]}'),
      ),
    ).toEqual([]);
    expect(
      found(telemetry('d', '{accessLogging: [{disabled: true}]}')),
    ).toEqual([]);
  });
});
