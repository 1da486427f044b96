import { brief, run } from './__testUtils__/run';
import { opaquePortsAnalyzer } from './opaquePorts';

const workload = (annotation: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: db}
      annotations: {config.linkerd.io/opaque-ports: "${annotation}"}
    spec:
      containers:
        - name: db
          ports: [{name: sql, containerPort: 5433}]
---
`;
const service = `apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: shop
  annotations:
    config.linkerd.io/opaque-ports: "5433"
spec:
  selector: {app: db}
  ports: [{name: tcp-sql, port: 5433, targetPort: sql}]
`;

describe('MS0306 opaque ports inconsistent', () => {
  it('flags a port opaque on the Service but not on the workload', () => {
    const findings = run(opaquePortsAnalyzer, workload('8080') + service);
    expect(brief(findings)).toEqual([
      {
        code: 'MS0306',
        resource: 'Service/shop/db',
        path: '/metadata/annotations/config.linkerd.io~1opaque-ports',
        line: 20,
      },
    ]);
    expect(findings[0].message).toBe(
      'Port 5433 is opaque on Service "db" but not opaque (as 5433) on Deployment "db".',
    );
  });

  it('is quiet when both agree (ranges included)', () => {
    expect(run(opaquePortsAnalyzer, workload('5000-6000') + service)).toEqual(
      [],
    );
  });
});
