import type { Finding } from '@meshstage/plugin-mesh-common';
import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { findingFor, isUnreadable } from '@meshstage/plugin-mesh-node';
import { CONFIG_MAP } from '../constants';
import { inputs, LinkerdCode } from './common';
import { valuesText } from './linkerdConfig';

const CODE: LinkerdCode = {
  code: 'MS0329',
  name: 'ControlPlaneObjectsMissing',
  severity: 'error',
  summary:
    'A cluster runs a Linkerd control plane, but objects `linkerd check` expects of it are missing (the `linkerd-config` ConfigMap, ServiceAccounts, ClusterRoles, ClusterRoleBindings or webhook configurations).',
  help: 'Reinstall or upgrade the control plane (`linkerd install | kubectl apply -f -`, or the Helm chart) so that it creates the missing objects.',
};

const ADMISSION = 'admissionregistration.k8s.io/v1';
const RBAC = 'rbac.authorization.k8s.io/v1';
/** `linkerd check` lists control-plane objects by this label, leaving out the CNI plugin's. */
const CONTROL_PLANE_NS = 'linkerd.io/control-plane-ns';
const CNI_RESOURCE = 'linkerd.io/cni-resource';

/** Whether `linkerd check`'s `linkerd.io/control-plane-ns,!linkerd.io/cni-resource` selects it. */
const controlPlaneObject = (o: KubeObject) =>
  o.metadata.labels?.[CONTROL_PLANE_NS] !== undefined &&
  o.metadata.labels?.[CNI_RESOURCE] === undefined;

/** The objects one `linkerd check` existence check expects: its wording, kind and names. */
interface Expectation {
  check: string;
  /** The plural `linkerd check` prints in "missing <plural>: …". */
  plural: string;
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  names: string[];
}

/**
 * The expectations of `linkerd check`'s `linkerd-existence` and `linkerd-config` categories that a
 * set of objects decides, for the control plane in namespace `ns` (linkerd2
 * `pkg/healthcheck/healthcheck.go`).
 */
function expectations(ns: string, heartbeat: boolean): Expectation[] {
  const rbac = [`linkerd-${ns}-identity`, `linkerd-${ns}-proxy-injector`];
  return [
    ...(heartbeat
      ? [
          {
            check: 'heartbeat ServiceAccount exist',
            plural: 'ServiceAccounts',
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            namespaced: true,
            names: ['linkerd-heartbeat'],
          },
        ]
      : []),
    {
      check: 'control plane ClusterRoles exist',
      plural: 'ClusterRoles',
      apiVersion: RBAC,
      kind: 'ClusterRole',
      namespaced: false,
      names: rbac,
    },
    {
      check: 'control plane ClusterRoleBindings exist',
      plural: 'ClusterRoleBindings',
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      namespaced: false,
      names: rbac,
    },
    {
      check: 'control plane ServiceAccounts exist',
      plural: 'ServiceAccounts',
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      namespaced: true,
      names: [
        'linkerd-destination',
        'linkerd-identity',
        'linkerd-proxy-injector',
      ],
    },
    {
      check: 'control plane MutatingWebhookConfigurations exist',
      plural: 'MutatingWebhookConfigurations',
      apiVersion: ADMISSION,
      kind: 'MutatingWebhookConfiguration',
      namespaced: false,
      names: ['linkerd-proxy-injector-webhook-config'],
    },
    {
      check: 'control plane ValidatingWebhookConfigurations exist',
      plural: 'ValidatingWebhookConfigurations',
      apiVersion: ADMISSION,
      kind: 'ValidatingWebhookConfiguration',
      namespaced: false,
      names: ['linkerd-sp-validator-webhook-config'],
    },
  ];
}

/** Whether the values in `linkerd-config` turn the heartbeat off (YAML or JSON values). */
function heartbeatDisabled(configMap: KubeObject): boolean {
  const text = valuesText(configMap);
  return (
    /^disableHeartBeat:[ \t]*true\b/m.test(text) ||
    /"disableHeartBeat"\s*:\s*true\b/.test(text)
  );
}

/**
 * The control planes in view: the namespaces holding the `linkerd-config` ConfigMap or the
 * `linkerd-destination` Deployment, each with the object that shows it (the ConfigMap first).
 */
function controlPlanes(snapshot: Snapshot) {
  const byNs = new Map<string, { anchor: KubeObject; config?: KubeObject }>();
  for (const cm of snapshot.list('v1', 'ConfigMap'))
    if (cm.metadata.name === CONFIG_MAP && cm.metadata.namespace)
      byNs.set(cm.metadata.namespace, { anchor: cm, config: cm });
  for (const d of snapshot.list('apps/v1', 'Deployment')) {
    const ns = d.metadata.namespace;
    if (d.metadata.name === 'linkerd-destination' && ns && !byNs.has(ns))
      byNs.set(ns, { anchor: d });
  }
  return [...byNs.entries()];
}

/**
 * MS0329: `linkerd check`'s existence checks of a control plane's objects, in its words, on a
 * cluster scan that shows a Linkerd control plane (the `linkerd-config` ConfigMap or the
 * `linkerd-destination` Deployment): `'linkerd-config' config map exists`, `heartbeat
 * ServiceAccount exist` (unless `disableHeartBeat`), and `control plane ClusterRoles /
 * ClusterRoleBindings / ServiceAccounts / MutatingWebhookConfigurations /
 * ValidatingWebhookConfigurations exist`, an object counting only with the
 * `linkerd.io/control-plane-ns` label and without `linkerd.io/cni-resource`, as `linkerd check`
 * lists them. Never on files alone, which rarely hold a whole control plane. Left out: the
 * namespace check (a scan that shows the control plane's objects shows its namespace exists), the
 * CustomResourceDefinitions check (it compares against the CLI's own CRD manifests) and the
 * runtime checks (pods running, replica sets ready). A check on a kind the cluster refused to list
 * (a read-only role without ClusterRoles) is skipped, not failed: nothing is known to be missing;
 * without the ConfigMaps, neither the config map nor the heartbeat can be judged.
 * @public
 */
export const controlPlaneExistenceAnalyzer: Analyzer = {
  id: 'linkerd.control-plane-existence',
  description: CODE.summary,
  inputs: [
    { apiVersion: 'v1', kind: 'ConfigMap' },
    inputs.deployment,
    inputs.serviceAccount,
    { apiVersion: RBAC, kind: 'ClusterRole' },
    { apiVersion: RBAC, kind: 'ClusterRoleBinding' },
    { apiVersion: ADMISSION, kind: 'MutatingWebhookConfiguration' },
    { apiVersion: ADMISSION, kind: 'ValidatingWebhookConfiguration' },
  ],
  codes: [CODE],
  handlesUnreadableKinds: true,
  analyze(snapshot, ctx) {
    if (!ctx.includesCluster) return [];
    const configMapsRead = !isUnreadable(ctx, 'v1', 'ConfigMap');
    const out: Finding[] = [];
    for (const [ns, { anchor, config }] of controlPlanes(snapshot)) {
      const fail = (check: string, error: string) =>
        out.push(
          findingFor(
            CODE,
            anchor,
            '/metadata/name',
            `linkerd check: ${check}: ${error} (control plane in namespace "${ns}").`,
          ),
        );
      if (!config && configMapsRead) {
        fail(
          "'linkerd-config' config map exists",
          `configmaps "${CONFIG_MAP}" not found`,
        );
      }
      // Without linkerd-config, linkerd check cannot tell whether the heartbeat is on.
      const heartbeat = Boolean(config) && !heartbeatDisabled(config!);
      for (const e of expectations(ns, heartbeat)) {
        if (isUnreadable(ctx, e.apiVersion, e.kind)) continue;
        const present = new Set(
          snapshot
            .list(e.apiVersion, e.kind, e.namespaced ? ns : undefined)
            .filter(controlPlaneObject)
            .map(o => o.metadata.name),
        );
        const missing = e.names.filter(n => !present.has(n)).sort();
        if (missing.length)
          fail(e.check, `missing ${e.plural}: ${missing.join(', ')}`);
      }
    }
    return out;
  },
};
