import { warnings } from '../__testUtils__/schemaWarnings';

const entry = (name: string, spec: string) => `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;
const workloadEntry = (name: string, spec: string) => `---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;

describe('MS0272 on ServiceEntries and WorkloadEntries', () => {
  it('warns on partial wildcards, TCP ports without addresses, endpoints and several DNS hosts', () => {
    expect(
      warnings(
        entry(
          'wild',
          '{hosts: ["api*.example.com"], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, endpoints: [{address: 10.0.0.1}]}',
        ) +
          entry(
            'tcp',
            '{hosts: [db.example.com], ports: [{number: 5432, name: pg, protocol: TCP}, {number: 5433, name: pg2}]}',
          ) +
          entry(
            'network',
            '{hosts: [vm.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, endpoints: [{network: west}]}',
          ) +
          entry(
            'hosts',
            '{hosts: [a.example.com, b.example.com], addresses: [10.1.0.1], ports: [{number: 80, name: http, protocol: HTTP}, {number: 443, name: tls, protocol: TLS}], resolution: DNS}',
          ) +
          workloadEntry('vm', '{network: west}'),
      ),
    ).toEqual([
      [
        'wild',
        '/spec/hosts/0',
        'partial wildcard "api*.example.com" not allowed.',
      ],
      [
        'tcp',
        '/spec/ports/0',
        'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled.',
      ],
      [
        'tcp',
        '/spec/ports/1',
        'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled.',
      ],
      [
        'network',
        '/spec/endpoints/0/network',
        'address is unset with network "west".',
      ],
      [
        'hosts',
        '/spec/ports/1',
        'service entry can not have more than one host specified simultaneously with address and tcp port.',
      ],
      ['vm', '/spec/network', 'address is unset with network "west".'],
    ]);
  });

  it('is quiet on the near misses', () => {
    expect(
      warnings(
        // wildcards of DYNAMIC_DNS and whole-label wildcards
        entry(
          'a',
          '{hosts: ["*.example.com"], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}',
        ) +
          entry(
            'b',
            '{hosts: ["api*.example.com"], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DYNAMIC_DNS}',
          ) +
          // istioctl allocates addresses unless the resolution is NONE; lower-case tcp is not "TCP"
          entry(
            'c',
            '{hosts: [db.example.com], ports: [{number: 5432, name: pg, protocol: TCP}], resolution: DNS}',
          ) +
          entry(
            'd',
            '{hosts: [db.example.com], addresses: [10.1.0.2], ports: [{number: 5432, name: pg, protocol: TCP}]}',
          ) +
          entry(
            'e',
            '{hosts: [db.example.com], ports: [{number: 5432, name: pg, protocol: tcp}]}',
          ) +
          // several hosts with addresses but no TCP port; one host
          entry(
            'f',
            '{hosts: [a.example.com, b.example.com], addresses: [10.1.0.3], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}',
          ) +
          entry(
            'g',
            '{hosts: [a.example.com], addresses: [10.1.0.4], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DNS}',
          ) +
          // a rejected selector returns the error alone
          entry(
            'h',
            '{hosts: ["api*.example.com"], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, workloadSelector: {labels: {"": x}}}',
          ) +
          workloadEntry('vm', '{address: 10.0.0.9, network: west}'),
      ),
    ).toEqual([]);
  });
});
