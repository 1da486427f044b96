import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, isIstioOwned, IstioCode, specOf } from './common';
import { istioPortProtocol } from './portProtocol';

const CODE: IstioCode = {
  code: 'MS0235',
  name: 'ExternalNameServiceTypeInvalidPortName',
  severity: 'warning',
  summary:
    'A port of an ExternalName Service is named `tcp` or says no protocol, so the proxy may not forward its TCP traffic correctly.',
  help: 'Name the port for its protocol with a suffix (`tcp-db`, `https-api`) or set `appProtocol`.',
  istioCode: 'IST0150',
};

/**
 * MS0235 (IST0150): ports of ExternalName Services whose protocol Istio cannot tell (see
 * `istioPortProtocol`) or that are named exactly `tcp`; Istio's own and managed-gateway Services
 * are left alone, as istioctl leaves them.
 * @public
 */
export const externalNameServicePortsAnalyzer: Analyzer = {
  id: 'istio.externalname-service-ports',
  description: CODE.summary,
  inputs: [inputs.service],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list('v1', 'Service').flatMap(svc => {
      const spec = specOf(svc);
      if (spec.type !== 'ExternalName') return [];
      if (isIstioOwned(svc.metadata.labels ?? {})) return [];
      return arr(spec.ports).flatMap((port: any, i) =>
        port?.name === 'tcp' || !istioPortProtocol(port ?? {})
          ? [
              findingFor(
                CODE,
                svc,
                `/spec/ports/${i}`,
                `Port ${port?.port ?? '?'}${
                  typeof port?.name === 'string' ? ` "${port.name}"` : ''
                } of ExternalName Service "${svc.metadata.name}" ${
                  port?.name === 'tcp'
                    ? 'is named plain "tcp"'
                    : 'says no protocol'
                }: the proxy may not forward its TCP traffic correctly.`,
              ),
            ]
          : [],
      );
    });
  },
};
