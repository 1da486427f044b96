import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, specOf } from './common';
import { meshConfigOf } from './meshConfig';

const MULTIPLE: IstioCode = {
  code: 'MS0255',
  name: 'MultipleTelemetriesWithoutWorkloadSelectors',
  severity: 'error',
  summary:
    'A namespace has several Telemetry resources without a selector, which leads to undefined behavior.',
  help: 'Keep one namespace-wide Telemetry per namespace; give the others selectors.',
  istioCode: 'IST0160',
};
const EMPTY_PROVIDERS: IstioCode = {
  code: 'MS0256',
  name: 'InvalidTelemetryProvider',
  severity: 'warning',
  summary:
    'A Telemetry access logging entry names no provider while the mesh config has no default access log provider, so it is ignored.',
  help: 'Name a provider in `accessLogging[].providers`, or set `defaultProviders.accessLogging` in the mesh config.',
  istioCode: 'IST0157',
};
const LIGHTSTEP: IstioCode = {
  code: 'MS0257',
  name: 'DeprecatedLightstepProvider',
  severity: 'warning',
  summary:
    'A Telemetry traces to a Lightstep provider of the mesh config; Istio deprecated the Lightstep provider.',
  help: 'Migrate the provider to OpenTelemetry (`extensionProviders[].opentelemetry`) and trace to it.',
  istioCode: 'IST0002',
};

const TELEMETRY = 'telemetry.istio.io/v1';

/**
 * MS0255 (IST0160), MS0256 (IST0157), MS0257 (IST0002): namespaces with several Telemetries
 * without a selector; access logging entries (not disabled) without providers when the mesh
 * config sets no default access log provider; tracing to a provider the mesh config defines as
 * `lightstep`. The mesh config is `--mesh-config` (see `meshConfigOf`).
 * @public
 */
export const telemetryDefaultsAnalyzer: Analyzer = {
  id: 'istio.telemetry-defaults',
  description: MULTIPLE.summary,
  inputs: [inputs.telemetry],
  codes: [MULTIPLE, EMPTY_PROVIDERS, LIGHTSTEP],
  analyze(snapshot) {
    const out: Finding[] = [];
    const telemetries = snapshot.list(TELEMETRY, 'Telemetry');
    const byNs = new Map<string, KubeObject[]>();
    for (const t of telemetries) {
      if (specOf(t).selector !== undefined && specOf(t).selector !== null)
        continue;
      const ns = t.metadata.namespace ?? 'default';
      const list = byNs.get(ns);
      if (list) list.push(t);
      else byNs.set(ns, [t]);
    }
    for (const [ns, list] of byNs) {
      if (list.length < 2) continue;
      const names = list.map(t => t.metadata.name).sort();
      for (const t of list)
        out.push(
          findingFor(
            MULTIPLE,
            t,
            '/metadata/name',
            `The Telemetries ${names.join(
              ', ',
            )} in namespace "${ns}" have no selector, which leads to undefined behavior.`,
          ),
        );
    }
    const mesh = meshConfigOf(snapshot);
    const lightstep = new Set(
      mesh.extensionProviders
        .filter(p => p.lightstep && typeof p.name === 'string')
        .map(p => String(p.name)),
    );
    for (const t of telemetries) {
      const spec = specOf(t);
      if (mesh.defaultProviders.accessLogging.length === 0) {
        const index = arr(spec.accessLogging).findIndex(
          (l: any) => l?.disabled !== true && arr(l?.providers).length === 0,
        );
        if (index >= 0)
          out.push(
            findingFor(
              EMPTY_PROVIDERS,
              t,
              `/spec/accessLogging/${index}`,
              `Telemetry "${t.metadata.name}" in namespace "${t.metadata.namespace}" has access logging without providers, and the mesh config has no default access log provider: it is ignored.`,
            ),
          );
      }
      arr(spec.tracing).forEach((tracing: any, i) =>
        arr(tracing?.providers).forEach((p: any, j) => {
          if (!lightstep.has(p?.name)) return;
          out.push(
            findingFor(
              LIGHTSTEP,
              t,
              `/spec/tracing/${i}/providers/${j}/name`,
              `Deprecated: the Lightstep provider ${p.name} is deprecated, migrate to an OpenTelemetry provider.`,
            ),
          );
        }),
      );
    }
    return out;
  },
};
