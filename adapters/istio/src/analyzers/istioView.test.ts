import { run } from './__testUtils__/run';
import { withIstioView } from './istioView';
import { virtualServiceHostsAnalyzer } from './virtualServiceHosts';

const analyzer = withIstioView(virtualServiceHostsAnalyzer);

const vs = (ns: string, host: string) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: route, namespace: ${ns}}
spec:
  hosts: [route.example.com]
  http: [{route: [{destination: {host: ${host}}}]}]
`;
const dns = `---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system}
spec: {ports: [{name: dns, port: 53}]}
`;

describe('istioView: the namespaces istioctl ignores', () => {
  it('does not report on objects in kube-system, as istioctl drops them', () => {
    expect(run(analyzer, vs('kube-system', 'missing'))).toEqual([]);
    expect(run(analyzer, vs('shop', 'missing')).map(f => f.istioCode)).toEqual([
      'IST0101',
    ]);
  });

  it('does not resolve hosts to Services in kube-system', () => {
    const yaml = vs('shop', 'kube-dns.kube-system.svc.cluster.local') + dns;
    expect(run(virtualServiceHostsAnalyzer, yaml)).toEqual([]);
    expect(run(analyzer, yaml).map(f => f.istioCode)).toEqual(['IST0101']);
  });
});
