import { brief, run } from './__testUtils__/run';
import { virtualServiceHostsAnalyzer } from './virtualServiceHosts';

const services = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: shop}
spec: {hosts: ["*.example.com"]}
---
`;

describe('MS0201 VirtualService destination host not found', () => {
  it('flags a destination host no Service or ServiceEntry defines', () => {
    const findings = run(
      virtualServiceHostsAnalyzer,
      `${services}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews}
        - destination:
            host: ratings
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0201',
        istioCode: 'IST0101',
        resource: 'VirtualService/shop/vs',
        path: '/spec/http/0/route/1/destination/host',
        line: 20,
      },
    ]);
    expect(findings[0].message).toBe(
      'Referenced host not found: "ratings" (no Service or ServiceEntry visible in namespace "shop" defines ratings.shop.svc.cluster.local).',
    );
  });

  it('accepts short names, FQDNs, other namespaces and ServiceEntry wildcards', () => {
    expect(
      run(
        virtualServiceHostsAnalyzer,
        `${services}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: other}
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route: [{destination: {host: reviews.shop.svc.cluster.local}}]
      mirror: {host: api.example.com}
  tcp:
    - route: [{destination: {host: reviews.shop.svc.cluster.local}}]
`,
      ),
    ).toEqual([]);
  });

  it('takes dotted names literally and honours exportTo of Services, ServiceEntries and the VirtualService', () => {
    const findings = run(
      virtualServiceHostsAnalyzer,
      `${services}apiVersion: v1
kind: Service
metadata:
  name: private
  namespace: shop
  annotations: {networking.istio.io/exportTo: "."}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: partner, namespace: shop}
spec: {hosts: [partner.example.org], exportTo: [".", web]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: web}
spec:
  hosts: [x]
  http:
    - route:
        - destination: {host: reviews.shop}
        - destination: {host: private.shop.svc.cluster.local}
        - destination: {host: partner.example.org}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: other}
spec:
  hosts: [x]
  http: [{route: [{destination: {host: partner.example.org}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: local, namespace: shop}
spec:
  hosts: [x]
  http: [{route: [{destination: {host: private}}]}]
`,
    );
    expect(
      findings.map(
        f => `${f.resource?.namespace}/${f.resource?.name} ${f.path}`,
      ),
    ).toEqual([
      'web/vs /spec/http/0/route/0/destination/host',
      'web/vs /spec/http/0/route/1/destination/host',
      'other/vs /spec/http/0/route/0/destination/host',
    ]);
  });

  it('checks destination ports: IST0101 for an undeclared port, IST0112 when a port is needed', () => {
    const findings = run(
      virtualServiceHostsAnalyzer,
      `apiVersion: v1
kind: Service
metadata: {name: two, namespace: shop}
spec: {ports: [{name: http, port: 80}, {name: grpc, port: 9090}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [two]
  http:
    - route:
        - destination: {host: two}
        - destination: {host: two, port: {number: 8080}}
        - destination: {host: two, port: {number: 9090}}
`,
    );
    expect(findings.map(f => [f.code, f.istioCode, f.path])).toEqual([
      ['MS0231', 'IST0112', '/spec/http/0/route/0/destination'],
      ['MS0201', 'IST0101', '/spec/http/0/route/1/destination/port'],
    ]);
  });
});
