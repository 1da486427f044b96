// TopologyGraph JSON of a synthetic cluster for bench/topology-render.mjs (see its header).
// --- graphs --------------------------------------------------------------------------------

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generateGraph(workloads) {
  const random = rng(workloads);
  const C = 'bench';
  const perNs = 40;
  const namespaces = Math.ceil(workloads / perNs);
  const nodes = [];
  const edges = [];
  const services = [];
  const weights = [40, 30, 20, 10];
  const health = () => {
    const r = random();
    if (r < 0.02) return 'failing';
    if (r < 0.07) return 'degraded';
    return 'healthy';
  };
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${n}`;
    for (let s = 0; s < perNs / 4; s++) {
      const svc = {
        id: `${C}/service/${ns}/svc-${s}`,
        kind: 'service',
        cluster: C,
        namespace: ns,
        name: `svc-${n}-${s}`,
        health: 'healthy',
        entityRef: `component:default/svc-${n}-${s}`,
      };
      nodes.push(svc);
      services.push(svc);
      for (let v = 0; v < 4; v++) {
        const w = n * perNs + s * 4 + v;
        if (w >= workloads) break;
        const wl = {
          id: `${C}/workload/${ns}/svc-${s}-v${v + 1}`,
          kind: 'workload',
          cluster: C,
          namespace: ns,
          name: `svc-${n}-${s}-v${v + 1}`,
          workloadKind: 'Deployment',
          version: `v${v + 1}`,
          pods: { total: 2, ready: 2, meshed: 2 },
          mesh: 'istio',
          meshVersion: '1.24.2',
          health: health(),
          entityRef: svc.entityRef,
        };
        nodes.push(wl);
        edges.push({
          id: `${svc.id}->${wl.id}`,
          source: svc.id,
          target: wl.id,
          kind: 'routes',
          rules: [
            {
              source: 'istio',
              resource: {
                apiVersion: 'networking.istio.io/v1',
                kind: 'VirtualService',
                namespace: ns,
                name: svc.name,
              },
              subset: `v${v + 1}`,
              weight: weights[v],
            },
          ],
          health: 'healthy',
        });
      }
    }
  }
  const wls = nodes.filter(n => n.kind === 'workload');
  for (const wl of wls) {
    const own = services.filter(s => s.namespace === wl.namespace);
    const targets = new Set();
    while (targets.size < 2) {
      const pool = random() < 0.7 ? own : services;
      const t = pool[Math.floor(random() * pool.length)];
      if (t.name !== wl.name.replace(/-v\d$/, '')) targets.add(t);
    }
    for (const t of targets) {
      const traffic =
        random() < 0.5
          ? {
              requestsPerSecond: Math.round(random() * 5000) / 10,
              errorRatio: random() < 0.1 ? random() * 0.2 : 0,
              p50Ms: Math.round(random() * 200) / 10,
              p99Ms: Math.round(random() * 3000) / 10,
            }
          : undefined;
      edges.push({
        id: `${wl.id}->${t.id}`,
        source: wl.id,
        target: t.id,
        kind: 'routes',
        rules: [
          {
            source: 'istio',
            resource: {
              apiVersion: 'networking.istio.io/v1',
              kind: 'VirtualService',
              namespace: t.namespace,
              name: t.name,
            },
          },
        ],
        ...(traffic && { traffic }),
        health: traffic?.errorRatio > 0.05 ? 'degraded' : 'healthy',
      });
    }
  }
  return {
    scope: { cluster: C },
    nodes,
    edges,
    traffic: { source: 'prometheus', window: '5m' },
    clusterErrors: [],
    generatedAt: new Date(0).toISOString(),
  };
}
