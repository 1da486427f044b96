import { brief, run } from './__testUtils__/run';
import { externalNameServicePortsAnalyzer } from './externalNameServicePorts';

const service = (name: string, ports: string, extra = '') => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop${extra}}
spec:
  type: ExternalName
  externalName: db.example.com
  ports: ${ports}
`;

describe('MS0235 ExternalName Service port names (IST0150)', () => {
  it('flags ports named plain tcp or saying no protocol', () => {
    const findings = run(
      externalNameServicePortsAnalyzer,
      service(
        'db',
        '[{name: tcp, port: 5432}, {name: pg, port: 5433}, {port: 5434}]',
      ),
    );
    expect(brief(findings).map(f => [f.code, f.istioCode, f.path])).toEqual([
      ['MS0235', 'IST0150', '/spec/ports/0'],
      ['MS0235', 'IST0150', '/spec/ports/1'],
      ['MS0235', 'IST0150', '/spec/ports/2'],
    ]);
  });

  it('is quiet for named protocols, appProtocol, UDP, well-known ports, Istio’s Services and other types', () => {
    expect(
      run(
        externalNameServicePortsAnalyzer,
        `${
          service(
            'ok',
            '[{name: tcp-db, port: 5432}, {name: x, appProtocol: https, port: 443}, {port: 5353, protocol: UDP}, {port: 3306}]',
          ) +
          service(
            'mine',
            '[{name: tcp, port: 1}]',
            ', labels: {istio: egressgateway}',
          )
        }---
apiVersion: v1
kind: Service
metadata: {name: cluster-ip, namespace: shop}
spec: {ports: [{name: tcp, port: 1}]}
`,
      ),
    ).toEqual([]);
  });
});
