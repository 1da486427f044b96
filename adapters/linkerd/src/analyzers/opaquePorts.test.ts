import fs from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { renderLinkerdControlPlane } from '../manifests/controlPlane';
import {
  vendorManifestsDir,
  VENDOR_MANIFESTS_MISSING,
} from '../manifests/__testUtils__/vendorManifests';
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

// The proxy injector's shape: the Service marks its port 443 opaque, the pods the port it
// targets by name (8443).
const injector = (podAnnotations: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: linkerd
  labels: {config.linkerd.io/admission-webhooks: disabled}
---
apiVersion: v1
kind: Service
metadata:
  name: linkerd-proxy-injector
  namespace: linkerd
  labels: {linkerd.io/control-plane-component: proxy-injector}
  annotations: {config.linkerd.io/opaque-ports: "443"}
spec:
  selector: {linkerd.io/control-plane-component: proxy-injector}
  ports: [{name: proxy-injector, port: 443, targetPort: proxy-injector}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-proxy-injector, namespace: linkerd}
spec:
  template:
    metadata:
      labels: {linkerd.io/control-plane-component: proxy-injector}
      annotations: {${podAnnotations}}
    spec:
      containers:
        - name: proxy-injector
          ports:
            - {containerPort: 8443, name: proxy-injector}
            - {containerPort: 9995, name: injector-admin}
`;

// A Service without the annotation in front of a MySQL-like pod, in an ordinary namespace the
// proxy injector admits (so both get Linkerd's default opaque ports written on them).
const defaults = (port: number, targetPort: number) => `apiVersion: v1
kind: Service
metadata: {name: mysql, namespace: shop}
spec:
  selector: {app: mysql}
  ports: [{port: ${port}, targetPort: ${targetPort}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: mysql, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: mysql}
    spec:
      containers:
        - name: mysql
          ports: [{containerPort: ${targetPort}}]
`;

describe('MS0306 opaque ports inconsistent (linkerd check: opaque ports are properly annotated)', () => {
  it('flags a Service port whose target port is not opaque on the workload', () => {
    const findings = run(opaquePortsAnalyzer, workload('8080') + service);
    expect(brief(findings)).toEqual([
      {
        code: 'MS0306',
        resource: 'Service/shop/db',
        path: '/spec/ports/0',
        line: 23,
      },
    ]);
    expect(findings[0].message).toBe(
      'Service "db" marks port 5433 opaque, so its target port 5433 must be opaque too; add 5433 to the config.linkerd.io/opaque-ports of Deployment "db".',
    );
  });

  it('is quiet when both sides mark the port', () => {
    expect(run(opaquePortsAnalyzer, workload('5433') + service)).toEqual([]);
  });

  it('follows the targetPort: 443 on the Service and 8443 on the pods agree', () => {
    expect(
      run(
        opaquePortsAnalyzer,
        injector('config.linkerd.io/opaque-ports: "8443"'),
      ),
    ).toEqual([]);
  });

  it('flags the injector shape when its pods lack the annotation (no injector writes it in a webhook-disabled namespace)', () => {
    const findings = run(opaquePortsAnalyzer, injector(''));
    expect(brief(findings)).toEqual([
      {
        code: 'MS0306',
        resource: 'Service/linkerd/linkerd-proxy-injector',
        path: '/spec/ports/0',
        line: 16,
      },
    ]);
    expect(findings[0].message).toContain(
      'target port 8443 must be opaque too; add 8443 to the config.linkerd.io/opaque-ports of Deployment "linkerd-proxy-injector"',
    );
  });

  it('flags a pod port marked opaque that the Service targets through a port it does not mark', () => {
    const yaml = injector('config.linkerd.io/opaque-ports: "8443"').replace(
      'annotations: {config.linkerd.io/opaque-ports: "443"}',
      'annotations: {config.linkerd.io/opaque-ports: "80"}',
    );
    const findings = run(opaquePortsAnalyzer, yaml);
    expect(brief(findings)).toEqual([
      {
        code: 'MS0306',
        resource: 'Service/linkerd/linkerd-proxy-injector',
        path: '/metadata/annotations/config.linkerd.io~1opaque-ports',
        line: 13,
      },
    ]);
    expect(findings[0].message).toBe(
      'Service "linkerd-proxy-injector" targets port proxy-injector (8443), opaque on Deployment "linkerd-proxy-injector", through port 443; add 443 to the Service\'s config.linkerd.io/opaque-ports.',
    );
  });

  it("applies the injector's defaults: a Service port targeting 3306 becomes opaque as its pods' 3306 does", () => {
    expect(run(opaquePortsAnalyzer, defaults(80, 3306))).toEqual([]);
    // and a Service port 3306 targeting a port that is not opaque by default stays plain
    expect(run(opaquePortsAnalyzer, defaults(3306, 8080))).toEqual([]);
  });

  it('flags a default opaque pod port when the injector does not admit the Service', () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {config.linkerd.io/admission-webhooks: disabled}}
---
apiVersion: v1
kind: Service
metadata: {name: mysql, namespace: shop}
spec:
  selector: {app: mysql}
  ports: [{port: 80, targetPort: 3306}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: mysql, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: mysql}
      annotations: {config.linkerd.io/opaque-ports: "3306"}
    spec:
      containers:
        - name: mysql
          ports: [{containerPort: 3306}]
`;
    const findings = run(opaquePortsAnalyzer, yaml);
    expect(brief(findings)).toEqual([
      {
        code: 'MS0306',
        resource: 'Service/shop/mysql',
        path: '/spec/ports/0',
        line: 10,
      },
    ]);
    expect(findings[0].message).toBe(
      'Service "mysql" targets port 3306, opaque on Deployment "mysql", through port 80; add 80 to the Service\'s config.linkerd.io/opaque-ports.',
    );
  });

  it('reports a range, which linkerd check cannot read as a port', () => {
    const ranged = service.replace('"5433"', '"5000-6000"');
    const findings = run(opaquePortsAnalyzer, workload('5433') + ranged);
    expect(findings.map(f => f.message)).toEqual([
      'linkerd check cannot read "5000-6000" in Service "db"\'s config.linkerd.io/opaque-ports as a port number (it reads single ports, not ranges).',
    ]);
  });

  it('skips headless Services, as linkerd check does', () => {
    const headless = service.replace('spec:\n', 'spec:\n  clusterIP: None\n');
    expect(run(opaquePortsAnalyzer, workload('8080') + headless)).toEqual([]);
  });
});

describe("MS0306 on MeshStage's own Linkerd control plane", () => {
  it.each(['edge-26.8.3', 'stable-2.14.10'])(
    'is quiet on what the built-in renderer installs for %s',
    version => {
      const yaml = renderLinkerdControlPlane({ version })
        .map(o => stringifyYaml(o))
        .join('---\n');
      expect(run(opaquePortsAnalyzer, yaml)).toEqual([]);
    },
  );
});

const haveVendor = !!vendorManifestsDir();
if (!haveVendor) {
  // eslint-disable-next-line no-console
  console.warn(VENDOR_MANIFESTS_MISSING);
}

(haveVendor ? describe : describe.skip)(
  "MS0306 on Linkerd's own control plane (vendor manifests)",
  () => {
    it.each(['edge-26.5.5', 'edge-26.8.3', 'stable-2.14.10'])(
      'is quiet on %s',
      version => {
        const file = path.join(
          vendorManifestsDir() ?? '',
          'linkerd',
          version,
          'control-plane.yaml',
        );
        expect(run(opaquePortsAnalyzer, fs.readFileSync(file, 'utf8'))).toEqual(
          [],
        );
      },
    );
  },
);
