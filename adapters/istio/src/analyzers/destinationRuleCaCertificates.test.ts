import { brief, run } from './__testUtils__/run';
import { destinationRuleCaCertificatesAnalyzer } from './destinationRuleCaCertificates';

const dr = (name: string, body: string) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: shop}
spec:
  host: db.example.com
${body}`;

describe('MS0229/MS0230 TLS origination without server verification (IST0128/IST0129)', () => {
  it('flags SIMPLE/MUTUAL without caCertificates at destination and port level', () => {
    const findings = run(
      destinationRuleCaCertificatesAnalyzer,
      dr(
        'db',
        `  trafficPolicy:
    tls: {mode: SIMPLE}
    portLevelSettings:
      - port: {number: 5432}
        tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}
`,
      ),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0229',
        istioCode: 'IST0128',
        resource: 'DestinationRule/shop/db',
        path: '/spec/trafficPolicy/tls/mode',
        line: 8,
      },
      {
        code: 'MS0230',
        istioCode: 'IST0129',
        resource: 'DestinationRule/shop/db',
        path: '/spec/trafficPolicy/portLevelSettings/0/tls/mode',
        line: 11,
      },
    ]);
  });

  it('flags a credentialName without a workloadSelector', () => {
    const findings = run(
      destinationRuleCaCertificatesAnalyzer,
      dr(
        'db',
        `  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: db-ca}\n`,
      ),
    );
    expect(findings.map(f => f.code)).toEqual(['MS0229']);
  });

  it('is quiet with caCertificates, a workload-scoped credentialName, ISTIO_MUTUAL or DISABLE', () => {
    expect(
      run(
        destinationRuleCaCertificatesAnalyzer,
        dr(
          'a',
          `  trafficPolicy:
    tls: {mode: SIMPLE, caCertificates: /ca.pem}
    portLevelSettings:
      - port: {number: 1}
        tls: {mode: ISTIO_MUTUAL}
      - port: {number: 2}
        tls: {mode: DISABLE}
`,
        ) +
          dr(
            'b',
            `  workloadSelector: {matchLabels: {app: cart}}
  trafficPolicy:
    tls: {mode: MUTUAL, credentialName: db-client}
`,
          ),
      ),
    ).toEqual([]);
  });
});
