import { KubeObject } from '../api/types';
import { age, humanDuration } from './age';
import { evalJsonPath } from './jsonpath';
import { crdPrinter, formatLabels, printerFor } from './printers';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (ms: number) =>
  new Date(NOW - ms).toISOString().replace('.000Z', 'Z');

describe('ages', () => {
  it('formats durations like kubectl', () => {
    const s = 1000;
    const m = 60 * s;
    const h = 60 * m;
    const d = 24 * h;
    expect(humanDuration(5 * s)).toBe('5s');
    expect(humanDuration(119 * s)).toBe('119s');
    expect(humanDuration(5 * m + 12 * s)).toBe('5m12s');
    expect(humanDuration(5 * m)).toBe('5m');
    expect(humanDuration(45 * m)).toBe('45m');
    expect(humanDuration(3 * h + 12 * m)).toBe('3h12m');
    expect(humanDuration(10 * h)).toBe('10h');
    expect(humanDuration(4 * d + 3 * h)).toBe('4d3h');
    expect(humanDuration(30 * d)).toBe('30d');
    expect(humanDuration(800 * d)).toBe('2y70d');
    expect(humanDuration(-5 * s)).toBe('<invalid>');
    expect(age(undefined, NOW)).toBe('<unknown>');
  });
});

describe('printers', () => {
  it('prints pod cells: ready count, status reasons, wide columns', () => {
    const pod: KubeObject = {
      metadata: { name: 'web-1', creationTimestamp: ago(5 * 60000) },
      spec: {
        nodeName: 'kube-sim',
        containers: [{ name: 'a' }, { name: 'b' }],
      },
      status: {
        phase: 'Running',
        podIP: '10.244.0.9',
        podIPs: [{ ip: '10.244.0.9' }],
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 1, state: { running: {} } },
          {
            name: 'b',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      },
    };
    const p = printerFor('/pods');
    expect(p.columns.map(c => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(p.columns.filter(c => c.priority === 1).map(c => c.name)).toEqual([
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(p.cells(pod, NOW)).toEqual([
      'web-1',
      '1/2',
      'CrashLoopBackOff',
      '1',
      '5m',
      '10.244.0.9',
      'kube-sim',
      '<none>',
      '<none>',
    ]);
    const pending: KubeObject = {
      metadata: { name: 'p', creationTimestamp: ago(1000) },
      spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'i' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i', state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    };
    expect(p.cells(pending, NOW).slice(1, 3)).toEqual(['0/1', 'Init:0/1']);
    const terminating = {
      ...pod,
      metadata: { ...pod.metadata, deletionTimestamp: ago(0) },
    };
    expect(p.cells(terminating, NOW)[2]).toBe('Terminating');
  });

  it('prints services, deployments, secrets and events', () => {
    const svc: KubeObject = {
      metadata: { name: 's', creationTimestamp: ago(3 * 3600000) },
      spec: {
        type: 'NodePort',
        clusterIP: '10.96.0.5',
        clusterIPs: ['10.96.0.5'],
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
        selector: { b: '2', a: '1' },
      },
    };
    expect(printerFor('/services').cells(svc, NOW)).toEqual([
      's',
      'NodePort',
      '10.96.0.5',
      '<none>',
      '80:30080/TCP,53/UDP',
      '3h',
      'a=1,b=2',
    ]);
    const lb = {
      ...svc,
      spec: { ...(svc.spec as object), type: 'LoadBalancer' },
    };
    expect(printerFor('/services').cells(lb, NOW)[3]).toBe('<pending>');
    const d: KubeObject = {
      metadata: { name: 'd', creationTimestamp: ago(0) },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'd' } },
        template: {
          spec: {
            containers: [
              { name: 'x', image: 'i:1' },
              { name: 'y', image: 'j:2' },
            ],
          },
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(printerFor('apps/deployments').cells(d, NOW)).toEqual([
      'd',
      '2/3',
      3,
      2,
      '0s',
      'x,y',
      'i:1,j:2',
      'app=d',
    ]);
    const secret: KubeObject = {
      metadata: { name: 'sec', creationTimestamp: ago(0) },
      type: 'Opaque',
      data: { a: 'eA==', b: 'eQ==' },
    };
    expect(printerFor('/secrets').cells(secret, NOW)).toEqual([
      'sec',
      'Opaque',
      2,
      '0s',
    ]);
    const ev: KubeObject = {
      metadata: { name: 'e' },
      type: 'Normal',
      reason: 'Started',
      message: 'Started container web ',
      involvedObject: { kind: 'Pod', name: 'web-1' },
      source: { component: 'kubelet', host: 'kube-sim' },
      firstTimestamp: ago(120000),
      lastTimestamp: ago(60000),
      count: 2,
    };
    expect(printerFor('/events').cells(ev, NOW)).toEqual([
      '60s',
      'Normal',
      'Started',
      'pod/web-1',
      '',
      'kubelet, kube-sim',
      'Started container web',
      '2m',
      2,
      'e',
    ]);
    expect(formatLabels({})).toBe('<none>');
  });

  it('prints CRD printer columns from JSONPath', () => {
    const p = crdPrinter([
      { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
      {
        name: 'Ready',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
    const obj = {
      metadata: { name: 'w', creationTimestamp: ago(7000) },
      spec: { size: 3 },
      status: {
        conditions: [
          { type: 'Other', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    };
    expect(p.columns.map(c => c.name)).toEqual([
      'Name',
      'Size',
      'Ready',
      'Age',
    ]);
    expect(p.cells(obj, NOW)).toEqual(['w', 3, 'True', '7s']);
    expect(p.cells({ metadata: { name: 'x' } }, NOW)).toEqual([
      'x',
      null,
      null,
      null,
    ]);
    expect(evalJsonPath({ a: [{ b: 1 }, { b: 2 }] }, '.a[*].b')).toEqual([
      1, 2,
    ]);
    expect(evalJsonPath({ a: [{ b: 1 }, { b: 2 }] }, '{.a[-1].b}')).toEqual([
      2,
    ]);
  });
});
