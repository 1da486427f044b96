import { KubeObject, meta, PrinterColumn } from '../api/types';
import {
  formatLabelSelectorSpec,
  LabelSelectorSpec,
} from '../selectors/label-selector';
import { compareStrings, isObject, JsonObject } from '../util/objects';
import { age, humanDuration } from './age';
import { evalJsonPath } from './jsonpath';

/** A Table column definition (meta.k8s.io/v1 TableColumnDefinition). */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean | null;

/** Columns and the cells of one row, for one kind. */
export interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: number): Cell[];
  /** Row conditions (pods that completed), as the real printers set. */
  conditions?(obj: KubeObject): { type: string; status: string }[] | undefined;
}

function col(
  name: string,
  description: string,
  opts: { type?: string; format?: string; priority?: number } = {},
): ColumnDefinition {
  return {
    name,
    type: opts.type ?? 'string',
    format: opts.format ?? '',
    description,
    priority: opts.priority ?? 0,
  };
}

const NAME = col(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Cannot be updated.',
  { format: 'name' },
);
const AGE = col(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is represented in RFC3339 form and is in UTC.',
);

/** The wide-output columns of workloads with a pod template (`kubectl get -o wide`). */
const TEMPLATE_CONTAINER_COLUMNS = [
  col('Containers', 'Names of each container in the template.', {
    priority: 1,
  }),
  col('Images', 'Images referenced by each container in the template.', {
    priority: 1,
  }),
];
const CREATED_AT = col(
  'Created At',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
  { type: 'date' },
);

const o = (v: unknown): JsonObject => (isObject(v) ? v : {});
const a = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const name = (x: KubeObject) => meta(x).name ?? '';
const created = (x: KubeObject, now: number) =>
  age(meta(x).creationTimestamp, now);

/** labels.FormatLabels: sorted `k=v` pairs or `<none>`. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(o(m)).sort(([x], [y]) => compareStrings(x, y));
  return entries.length
    ? entries.map(([k, v]) => `${k}=${v}`).join(',')
    : '<none>';
}

function containerCells(podSpec: unknown): [string, string] {
  const cs = a(o(podSpec).containers).map(o);
  return [
    cs.map(c => String(c.name ?? '')).join(','),
    cs.map(c => String(c.image ?? '')).join(','),
  ];
}

function templateSpec(x: KubeObject): unknown {
  return o(o(o(x.spec).template).spec);
}

function selectorString(x: KubeObject): string {
  const sel = o(x.spec).selector;
  if (!isObject(sel)) return '';
  const s = formatLabelSelectorSpec(sel as LabelSelectorSpec);
  return s === '<none>' ? '' : s;
}

function hasCondition(conds: unknown, type: string, status = 'True'): boolean {
  return a(conds).some(c => o(c).type === type && o(c).status === status);
}

const podPrinter: Printer = {
  columns: [
    NAME,
    col(
      'Ready',
      'The aggregate readiness state of this pod for accepting traffic.',
    ),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE,
    col(
      'IP',
      'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      { priority: 1 },
    ),
    col(
      'Node',
      'NodeName is a request to schedule this pod onto a specific node.',
      { priority: 1 },
    ),
    col(
      'Nominated Node',
      'nominatedNodeName is set only when this pod preempts other pods on the node.',
      { priority: 1 },
    ),
    col(
      'Readiness Gates',
      'If specified, all readiness gates will be evaluated for pod readiness.',
      { priority: 1 },
    ),
  ],
  cells(p, now) {
    const spec = o(p.spec);
    const status = o(p.status);
    let restarts = 0;
    let total = a(spec.containers).length;
    let ready = 0;
    const phase = String(status.phase ?? '');
    let reason = status.reason ? String(status.reason) : phase;
    const initSpecs = new Map(
      a(spec.initContainers).map(c => [String(o(c).name), o(c)]),
    );
    for (const c of initSpecs.values())
      if (c.restartPolicy === 'Always') total++;
    let initializing = false;
    const initStatuses = a(status.initContainerStatuses).map(o);
    for (let i = 0; i < initStatuses.length; i++) {
      const cs = initStatuses[i];
      restarts += n(cs.restartCount);
      const st = o(cs.state);
      const term = isObject(st.terminated) ? o(st.terminated) : undefined;
      const wait = isObject(st.waiting) ? o(st.waiting) : undefined;
      if (term && n(term.exitCode) === 0) continue;
      if (
        initSpecs.get(String(cs.name))?.restartPolicy === 'Always' &&
        cs.started
      ) {
        if (cs.ready) ready++;
        continue;
      }
      if (term)
        reason = term.reason
          ? `Init:${term.reason}`
          : `Init:ExitCode:${n(term.exitCode)}`;
      else if (wait && wait.reason && wait.reason !== 'PodInitializing')
        reason = `Init:${wait.reason}`;
      else reason = `Init:${i}/${initSpecs.size}`;
      initializing = true;
      break;
    }
    if (!initializing || hasCondition(status.conditions, 'Initialized')) {
      restarts = 0;
      let hasRunning = false;
      const statuses = a(status.containerStatuses).map(o);
      for (let i = statuses.length - 1; i >= 0; i--) {
        const cs = statuses[i];
        restarts += n(cs.restartCount);
        const st = o(cs.state);
        const wait = isObject(st.waiting) ? o(st.waiting) : undefined;
        const term = isObject(st.terminated) ? o(st.terminated) : undefined;
        if (wait && wait.reason) reason = String(wait.reason);
        else if (term && term.reason) reason = String(term.reason);
        else if (term) reason = `ExitCode:${n(term.exitCode)}`;
        else if (cs.ready && isObject(st.running)) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason === 'Completed' && hasRunning)
        reason = hasCondition(status.conditions, 'Ready')
          ? 'Running'
          : 'NotReady';
    }
    if (
      meta(p).deletionTimestamp &&
      phase !== 'Succeeded' &&
      phase !== 'Failed'
    )
      reason = 'Terminating';
    const ips = a(status.podIPs).map(x => String(o(x).ip ?? ''));
    const ip = ips[0] || String(status.podIP ?? '') || '<none>';
    const gates = a(spec.readinessGates);
    let gatesCell = '<none>';
    if (gates.length) {
      const conds = a(status.conditions).map(o);
      const trueCount = gates.filter(g =>
        conds.some(c => c.type === o(g).conditionType && c.status === 'True'),
      ).length;
      gatesCell = `${trueCount}/${gates.length}`;
    }
    return [
      name(p),
      `${ready}/${total}`,
      reason,
      String(restarts),
      created(p, now),
      ip,
      String(spec.nodeName || '<none>'),
      String(status.nominatedNodeName || '<none>'),
      gatesCell,
    ];
  },
  conditions(p) {
    const phase = o(p.status).phase;
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True' }];
    return undefined;
  },
};

const deploymentPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    col(
      'Available',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    AGE,
    ...TEMPLATE_CONTAINER_COLUMNS,
    col(
      'Selector',
      'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      { priority: 1 },
    ),
  ],
  cells(d, now) {
    const s = o(d.status);
    const [cs, images] = containerCells(templateSpec(d));
    return [
      name(d),
      `${n(s.readyReplicas)}/${n(o(d.spec).replicas)}`,
      n(s.updatedReplicas),
      n(s.availableReplicas),
      created(d, now),
      cs,
      images,
      selectorString(d),
    ];
  },
};

const replicaSetPrinter: Printer = {
  columns: [
    NAME,
    col('Desired', 'Replicas is the number of desired replicas.', {
      type: 'integer',
    }),
    col(
      'Current',
      'Replicas is the most recently observed number of replicas.',
      { type: 'integer' },
    ),
    col('Ready', 'The number of ready replicas for this replica set.', {
      type: 'integer',
    }),
    AGE,
    ...TEMPLATE_CONTAINER_COLUMNS,
    col(
      'Selector',
      'Selector is a label query over pods that should match the replica count.',
      { priority: 1 },
    ),
  ],
  cells(r, now) {
    const s = o(r.status);
    const [cs, images] = containerCells(templateSpec(r));
    return [
      name(r),
      n(o(r.spec).replicas),
      n(s.replicas),
      n(s.readyReplicas),
      created(r, now),
      cs,
      images,
      selectorString(r),
    ];
  },
};

const statefulSetPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'Number of the pod with ready state'),
    AGE,
    ...TEMPLATE_CONTAINER_COLUMNS,
  ],
  cells(x, now) {
    const [cs, images] = containerCells(templateSpec(x));
    return [
      name(x),
      `${n(o(x.status).readyReplicas)}/${n(o(x.spec).replicas)}`,
      created(x, now),
      cs,
      images,
    ];
  },
};

const daemonSetPrinter: Printer = {
  columns: [
    NAME,
    col(
      'Desired',
      'The total number of nodes that should be running the daemon pod.',
      { type: 'integer' },
    ),
    col(
      'Current',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      { type: 'integer' },
    ),
    col(
      'Ready',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
      { type: 'integer' },
    ),
    col(
      'Up-to-date',
      'The total number of nodes that are running updated daemon pod',
      { type: 'integer' },
    ),
    col(
      'Available',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
      { type: 'integer' },
    ),
    col(
      'Node Selector',
      'NodeSelector is a selector which must be true for the pod to fit on a node.',
    ),
    AGE,
    ...TEMPLATE_CONTAINER_COLUMNS,
    col(
      'Selector',
      'A label query over pods that are managed by the daemon set.',
      { priority: 1 },
    ),
  ],
  cells(x, now) {
    const s = o(x.status);
    const ts = templateSpec(x);
    const [cs, images] = containerCells(ts);
    return [
      name(x),
      n(s.desiredNumberScheduled),
      n(s.currentNumberScheduled),
      n(s.numberReady),
      n(s.updatedNumberScheduled),
      n(s.numberAvailable),
      formatLabels(o(ts).nodeSelector),
      created(x, now),
      cs,
      images,
      selectorString(x),
    ];
  },
};

const jobPrinter: Printer = {
  columns: [
    NAME,
    col('Status', 'Status of the job.'),
    col('Completions', 'The completion status of the job.'),
    col('Duration', 'Time required to complete the job.'),
    AGE,
    ...TEMPLATE_CONTAINER_COLUMNS,
    col(
      'Selector',
      'A label query over pods that should match the pod count.',
      { priority: 1 },
    ),
  ],
  cells(j, now) {
    const spec = o(j.spec);
    const s = o(j.status);
    let completions: string;
    if (typeof spec.completions === 'number')
      completions = `${n(s.succeeded)}/${spec.completions}`;
    else
      completions =
        n(spec.parallelism) > 1
          ? `${n(s.succeeded)}/1 of ${n(spec.parallelism)}`
          : `${n(s.succeeded)}/1`;
    let duration = '';
    if (typeof s.startTime === 'string') {
      const start = Date.parse(s.startTime);
      const end =
        typeof s.completionTime === 'string'
          ? Date.parse(s.completionTime)
          : now;
      duration = humanDuration(end - start);
    }
    let status = 'Running';
    if (hasCondition(s.conditions, 'Complete')) status = 'Complete';
    else if (hasCondition(s.conditions, 'Failed')) status = 'Failed';
    else if (meta(j).deletionTimestamp) status = 'Terminating';
    else if (hasCondition(s.conditions, 'Suspended')) status = 'Suspended';
    const [cs, images] = containerCells(templateSpec(j));
    return [
      name(j),
      status,
      completions,
      duration,
      created(j, now),
      cs,
      images,
      selectorString(j),
    ];
  },
};

function portString(ports: unknown): string {
  const out = a(ports).map(p => {
    const x = o(p);
    return n(x.nodePort) > 0
      ? `${x.port}:${x.nodePort}/${x.protocol ?? 'TCP'}`
      : `${x.port}/${x.protocol ?? 'TCP'}`;
  });
  return out.length ? out.join(',') : '<none>';
}

const servicePrinter: Printer = {
  columns: [
    NAME,
    col('Type', 'type determines how the Service is exposed.'),
    col(
      'Cluster-IP',
      'clusterIP is the IP address of the service and is usually assigned randomly.',
    ),
    col(
      'External-IP',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE,
    col(
      'Selector',
      'Route service traffic to pods with label keys and values matching this selector.',
      { priority: 1 },
    ),
  ],
  cells(svc, now) {
    const spec = o(svc.spec);
    const type = String(spec.type ?? 'ClusterIP');
    const ips = a(spec.clusterIPs);
    const clusterIP = String(ips[0] ?? spec.clusterIP ?? '') || '<none>';
    const ext = a(spec.externalIPs).map(String);
    let external = '<none>';
    if (type === 'ClusterIP' || type === 'NodePort')
      external = ext.length ? ext.join(',') : '<none>';
    else if (type === 'LoadBalancer') {
      const lb = a(o(o(svc.status).loadBalancer).ingress).map(i =>
        String(o(i).ip ?? o(i).hostname ?? ''),
      );
      external = [ext, lb, ['<pending>']].find(l => l.length)!.join(',');
    } else if (type === 'ExternalName')
      external = String(spec.externalName ?? '');
    return [
      name(svc),
      type,
      clusterIP,
      external,
      portString(spec.ports),
      created(svc, now),
      formatLabels(spec.selector),
    ];
  },
};

const namespacePrinter: Printer = {
  columns: [NAME, col('Status', 'The status of the namespace'), AGE],
  cells: (x, now) => [
    name(x),
    String(o(x.status).phase ?? ''),
    created(x, now),
  ],
};

const configMapPrinter: Printer = {
  columns: [
    NAME,
    col('Data', 'Data contains the configuration data.', { type: 'integer' }),
    AGE,
  ],
  cells: (x, now) => [
    name(x),
    Object.keys(o(x.data)).length + Object.keys(o(x.binaryData)).length,
    created(x, now),
  ],
};

const secretPrinter: Printer = {
  columns: [
    NAME,
    col('Type', 'The type of the secret'),
    col('Data', 'The number of entries in the secret', { type: 'integer' }),
    AGE,
  ],
  cells: (x, now) => [
    name(x),
    String(x.type ?? ''),
    Object.keys(o(x.data)).length,
    created(x, now),
  ],
};

const serviceAccountPrinter: Printer = {
  columns: [
    NAME,
    col(
      'Secrets',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      { type: 'integer' },
    ),
    AGE,
  ],
  cells: (x, now) => [name(x), a(x.secrets).length, created(x, now)],
};

const endpointsPrinter: Printer = {
  columns: [NAME, col('Endpoints', 'Endpoints of the service'), AGE],
  cells(x, now) {
    const list: string[] = [];
    let count = 0;
    for (const sub of a(x.subsets).map(o)) {
      const ports = a(sub.ports).map(o);
      for (const addr of a(sub.addresses).map(o)) {
        if (ports.length === 0) {
          count++;
          if (list.length < 3) list.push(String(addr.ip));
        }
        for (const p of ports) {
          count++;
          if (list.length < 3) list.push(`${addr.ip}:${p.port}`);
        }
      }
    }
    let s = list.join(',');
    if (count > list.length) s += ` + ${count - list.length} more...`;
    return [name(x), s || '<none>', created(x, now)];
  },
};

const nodePrinter: Printer = {
  columns: [
    NAME,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node.', {
      priority: 1,
    }),
    col('External-IP', 'List of addresses reachable to the node.', {
      priority: 1,
    }),
    col(
      'OS-Image',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      { priority: 1 },
    ),
    col(
      'Kernel-Version',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      { priority: 1 },
    ),
    col(
      'Container-Runtime',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      { priority: 1 },
    ),
  ],
  cells(x, now) {
    const st = o(x.status);
    const ready = hasCondition(st.conditions, 'Ready') ? 'Ready' : 'NotReady';
    const status = o(x.spec).unschedulable
      ? `${ready},SchedulingDisabled`
      : ready;
    const roles = Object.keys(meta(x).labels ?? {})
      .filter(l => l.startsWith('node-role.kubernetes.io/'))
      .map(l => l.slice('node-role.kubernetes.io/'.length))
      .sort();
    const addr = (t: string) =>
      a(st.addresses)
        .map(o)
        .find(ad => ad.type === t)?.address ?? '<none>';
    const info = o(st.nodeInfo);
    return [
      name(x),
      status,
      roles.length ? roles.join(',') : '<none>',
      created(x, now),
      String(info.kubeletVersion ?? ''),
      String(addr('InternalIP')),
      String(addr('ExternalIP')),
      String(info.osImage ?? '<unknown>'),
      String(info.kernelVersion ?? '<unknown>'),
      String(info.containerRuntimeVersion ?? '<unknown>'),
    ];
  },
};

const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'Time when this Event was last seen'),
    col(
      'Type',
      'Type of this event (Normal, Warning), new types could be added in the future.',
    ),
    col(
      'Reason',
      "Short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    col('Object', 'The object this Event is about.'),
    col('Subobject', 'The subobject this Event is about.', { priority: 1 }),
    col('Source', 'The component reporting this event.', { priority: 1 }),
    col(
      'Message',
      'A human-readable description of the status of this operation.',
    ),
    col('First Seen', 'Time when this Event was first seen', { priority: 1 }),
    col('Count', 'The number of times this event has occurred.', {
      priority: 1,
    }),
    col('Name', 'Name must be unique within a namespace.', {
      priority: 1,
      format: 'name',
    }),
  ],
  cells(e, now) {
    const first = e.firstTimestamp
      ? age(e.firstTimestamp, now)
      : age(e.eventTime, now);
    const last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
    const inv = o(e.involvedObject);
    const target = inv.name
      ? `${String(inv.kind ?? '').toLowerCase()}/${inv.name}`
      : String(inv.kind ?? '').toLowerCase();
    const src = o(e.source);
    let source = String(e.reportingComponent ?? '');
    if (src.component)
      source = src.host
        ? `${src.component}, ${src.host}`
        : String(src.component);
    return [
      last,
      String(e.type ?? ''),
      String(e.reason ?? ''),
      target,
      String(inv.fieldPath ?? ''),
      source,
      String(e.message ?? '').trim(),
      first,
      n(e.count),
      name(e),
    ];
  },
};

const createdAtPrinter: Printer = {
  columns: [NAME, CREATED_AT],
  cells: x => [name(x), String(meta(x).creationTimestamp ?? '')],
};

function subjectsOf(x: KubeObject, kind: string): string {
  return a(x.subjects)
    .map(o)
    .filter(s => s.kind === kind)
    .map(s =>
      kind === 'ServiceAccount'
        ? `${s.namespace ?? ''}/${s.name}`
        : String(s.name),
    )
    .join(', ');
}

const bindingPrinter: Printer = {
  columns: [
    NAME,
    col(
      'Role',
      'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
    ),
    AGE,
    col('Users', 'Users in the binding', { priority: 1 }),
    col('Groups', 'Groups in the binding', { priority: 1 }),
    col('ServiceAccounts', 'ServiceAccounts in the binding', { priority: 1 }),
  ],
  cells: (x, now) => [
    name(x),
    `${o(x.roleRef).kind}/${o(x.roleRef).name}`,
    created(x, now),
    subjectsOf(x, 'User'),
    subjectsOf(x, 'Group'),
    subjectsOf(x, 'ServiceAccount'),
  ],
};

const webhookPrinter: Printer = {
  columns: [
    NAME,
    col('Webhooks', 'Webhooks indicates the number of webhooks.', {
      type: 'integer',
    }),
    AGE,
  ],
  cells: (x, now) => [name(x), a(x.webhooks).length, created(x, now)],
};

const pdbPrinter: Printer = {
  columns: [
    NAME,
    col(
      'Min Available',
      'The minimum number of pods that must be available simultaneously.',
    ),
    col(
      'Max Unavailable',
      'The maximum number of pods that may be unavailable simultaneously.',
    ),
    col(
      'Allowed Disruptions',
      'Calculated number of pods that may be disrupted at this time.',
      { type: 'integer' },
    ),
    AGE,
  ],
  cells: (x, now) => {
    const s = o(x.spec);
    return [
      name(x),
      s.minAvailable !== undefined ? String(s.minAvailable) : 'N/A',
      s.maxUnavailable !== undefined ? String(s.maxUnavailable) : 'N/A',
      n(o(x.status).disruptionsAllowed),
      created(x, now),
    ];
  },
};

const hpaPrinter: Printer = {
  columns: [
    NAME,
    col('Reference', 'The reference to the target resource.'),
    col('Targets', 'The current and target metric values.'),
    col(
      'MinPods',
      'The lower limit for the number of pods that can be set by the autoscaler.',
    ),
    col(
      'MaxPods',
      'The upper limit for the number of pods that can be set by the autoscaler.',
      { type: 'integer' },
    ),
    col(
      'Replicas',
      'Current number of replicas of pods managed by this autoscaler.',
      { type: 'integer' },
    ),
    AGE,
  ],
  cells: (x, now) => {
    const s = o(x.spec);
    const ref = o(s.scaleTargetRef);
    const targets = a(s.metrics).map(m => {
      const r = o(o(m).resource);
      const t = o(r.target);
      return t.averageUtilization !== undefined
        ? `${r.name}: <unknown>/${t.averageUtilization}%`
        : '<unknown>';
    });
    return [
      name(x),
      `${ref.kind}/${ref.name}`,
      targets.length ? targets.join(', ') : '<none>',
      String(s.minReplicas ?? 1),
      n(s.maxReplicas),
      n(o(x.status).currentReplicas),
      created(x, now),
    ];
  },
};

const ingressPrinter: Printer = {
  columns: [
    NAME,
    col('Class', 'The ingress class'),
    col('Hosts', 'Hosts that incoming requests are matched against'),
    col(
      'Address',
      'Address is a list containing ingress points for the load-balancer',
    ),
    col('Ports', 'Ports of TLS configurations that open'),
    AGE,
  ],
  cells: (x, now) => {
    const s = o(x.spec);
    const hosts = a(s.rules).map(r => String(o(r).host ?? '*'));
    const lb = a(o(o(x.status).loadBalancer).ingress).map(i =>
      String(o(i).ip ?? o(i).hostname ?? ''),
    );
    return [
      name(x),
      String(s.ingressClassName ?? '<none>'),
      hosts.length ? hosts.join(',') : '*',
      lb.join(','),
      a(s.tls).length ? '80, 443' : '80',
      created(x, now),
    ];
  },
};

const leasePrinter: Printer = {
  columns: [
    NAME,
    col(
      'Holder',
      'holderIdentity contains the identity of the holder of a current lease.',
    ),
    AGE,
  ],
  cells: (x, now) => [
    name(x),
    String(o(x.spec).holderIdentity ?? ''),
    created(x, now),
  ],
};

const pvcPrinter: Printer = {
  columns: [
    NAME,
    col('Status', 'Status of the claim'),
    col('Volume', 'The volume bound to the claim'),
    col('Capacity', 'The capacity of the volume'),
    col('Access Modes', 'The access modes of the volume'),
    col('StorageClass', 'The storage class of the claim'),
    col('VolumeAttributesClass', 'The volume attributes class of the claim'),
    AGE,
    col('VolumeMode', 'The volume mode', { priority: 1 }),
  ],
  cells: (x, now) => {
    const s = o(x.spec);
    const st = o(x.status);
    return [
      name(x),
      String(st.phase ?? 'Pending'),
      String(s.volumeName ?? ''),
      String(o(st.capacity).storage ?? ''),
      a(st.accessModes).join(','),
      String(s.storageClassName ?? '<unset>'),
      '<unset>',
      created(x, now),
      String(s.volumeMode ?? 'Filesystem'),
    ];
  },
};

const endpointSlicePrinter: Printer = {
  columns: [
    NAME,
    col('AddressType', 'The IP protocol for this slice'),
    col('Ports', 'Ports of the endpoints'),
    col('Endpoints', 'Addresses of the endpoints'),
    AGE,
  ],
  cells: (x, now) => {
    const ports = a(x.ports).map(p => String(o(p).port));
    const addrs = a(x.endpoints).flatMap(e => a(o(e).addresses).map(String));
    let eps = addrs.slice(0, 3).join(',');
    if (addrs.length > 3) eps += ` + ${addrs.length - 3} more...`;
    return [
      name(x),
      String(x.addressType ?? ''),
      ports.length ? ports.join(',') : '<unset>',
      eps || '<unset>',
      created(x, now),
    ];
  },
};

const cronJobPrinter: Printer = {
  columns: [
    NAME,
    col('Schedule', 'The schedule in Cron format'),
    col('Timezone', 'The time zone for the schedule'),
    col('Suspend', 'Whether the cron job is suspended'),
    col('Active', 'Number of running jobs', { type: 'integer' }),
    col('Last Schedule', 'When the job was last scheduled'),
    AGE,
    ...TEMPLATE_CONTAINER_COLUMNS,
    col('Selector', 'A label query over pods.', { priority: 1 }),
  ],
  cells: (x, now) => {
    const s = o(x.spec);
    const st = o(x.status);
    const podSpec = o(o(o(o(s.jobTemplate).spec).template).spec);
    const [cs, images] = containerCells(podSpec);
    return [
      name(x),
      String(s.schedule ?? ''),
      String(s.timeZone ?? '<none>'),
      s.suspend ? 'True' : 'False',
      a(st.active).length,
      st.lastScheduleTime ? age(st.lastScheduleTime, now) : '<none>',
      created(x, now),
      cs,
      images,
      '<none>',
    ];
  },
};

const quotaPrinter: Printer = {
  columns: [
    NAME,
    AGE,
    col(
      'Request',
      'Request represents a minimum amount of cpu/memory that a container may consume.',
    ),
    col(
      'Limit',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
  ],
  cells: (x, now) => {
    const hard = o(o(x.spec).hard);
    const used = o(o(x.status).used);
    const fmt = (keys: string[]) =>
      keys
        .sort(compareStrings)
        .map(k => `${k}: ${used[k] ?? 0}/${hard[k]}`)
        .join(', ');
    const keys = Object.keys(hard);
    return [
      name(x),
      created(x, now),
      fmt(keys.filter(k => !k.startsWith('limits.'))),
      fmt(keys.filter(k => k.startsWith('limits.'))),
    ];
  },
};

const genericPrinter: Printer = {
  columns: [NAME, AGE],
  cells: (x, now) => [name(x), created(x, now)],
};

const PRINTERS: Record<string, Printer> = {
  '/pods': podPrinter,
  '/services': servicePrinter,
  '/namespaces': namespacePrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  '/endpoints': endpointsPrinter,
  '/nodes': nodePrinter,
  '/events': eventPrinter,
  '/persistentvolumeclaims': pvcPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'batch/jobs': jobPrinter,
  'apiextensions.k8s.io/customresourcedefinitions': createdAtPrinter,
  'rbac.authorization.k8s.io/roles': createdAtPrinter,
  'rbac.authorization.k8s.io/clusterroles': createdAtPrinter,
  'rbac.authorization.k8s.io/rolebindings': bindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': bindingPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhookPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations':
    webhookPrinter,
  'policy/poddisruptionbudgets': pdbPrinter,
  'autoscaling/horizontalpodautoscalers': hpaPrinter,
  'networking.k8s.io/ingresses': ingressPrinter,
  'coordination.k8s.io/leases': leasePrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'batch/cronjobs': cronJobPrinter,
  '/resourcequotas': quotaPrinter,
  '/limitranges': createdAtPrinter,
};

/** Printer for a custom resource: Name plus the CRD's additionalPrinterColumns. */
export function crdPrinter(columns: PrinterColumn[]): Printer {
  return {
    columns: [
      NAME,
      ...columns.map(c =>
        col(c.name, c.description ?? '', {
          type: c.type,
          format: c.format ?? '',
          priority: c.priority ?? 0,
        }),
      ),
    ],
    cells(x, now) {
      return [
        name(x),
        ...columns.map((c): Cell => {
          const values = evalJsonPath(x, c.jsonPath);
          if (values.length === 0) return null;
          const v = values.length === 1 ? values[0] : values;
          if (c.type === 'date')
            return typeof v === 'string' ? age(v, now) : null;
          if (c.type === 'integer' || c.type === 'number')
            return typeof v === 'number' ? v : Number(v);
          if (c.type === 'boolean')
            return typeof v === 'boolean' ? v : String(v) === 'true';
          if (Array.isArray(v))
            return v
              .map(i => (typeof i === 'object' ? JSON.stringify(i) : String(i)))
              .join(', ');
          return typeof v === 'object' ? JSON.stringify(v) : String(v);
        }),
      ];
    },
  };
}

export function printerFor(
  storageKey: string,
  crdColumns?: PrinterColumn[],
): Printer {
  if (crdColumns) return crdPrinter(crdColumns);
  return PRINTERS[storageKey] ?? genericPrinter;
}
