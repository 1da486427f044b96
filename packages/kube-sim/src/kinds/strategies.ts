import { validateCrd } from '../api/crd';
import { webhookConfigurationStrategy } from '../controllers/injection/webhook-config';
import { KubeObject, meta, ResourceType } from '../api/types';
import { matchesLabels, selectorFromSpec } from '../selectors/label-selector';
import { FieldError, fieldError } from '../validation/field-errors';
import {
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  labelValue,
  pathSegmentName,
  qualifiedName,
} from '../validation/names';
import { deepEqual, isObject, JsonObject } from '../util/objects';
import { defaultPodSpec, validatePodSpec } from './pod-spec';

/**
 * What differs between kinds when objects are written: defaults, validation,
 * immutable fields. Keyed by storage key; custom resources use the schema only.
 */
export interface KindStrategy {
  /** Name validation (DNS subdomain unless said otherwise). */
  validateName?: (name: string) => string[];
  defaults?: (obj: KubeObject) => void;
  validate?: (obj: KubeObject) => FieldError[];
  validateUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[];
}

const spec = (o: KubeObject): JsonObject =>
  isObject(o.spec) ? o.spec : ((o.spec = {}) as JsonObject);

function defaultTemplate(s: JsonObject): void {
  if (!isObject(s.template)) return;
  const t = s.template as JsonObject;
  if (!isObject(t.metadata)) t.metadata = {};
  if (isObject(t.spec)) defaultPodSpec(t.spec as JsonObject);
}

function validateReplicas(s: JsonObject, errs: FieldError[]): void {
  if (
    s.replicas !== undefined &&
    (typeof s.replicas !== 'number' || s.replicas < 0)
  ) {
    errs.push(
      fieldError.invalid(
        'spec.replicas',
        s.replicas,
        'must be greater than or equal to 0',
      ),
    );
  }
}

/** Workload validation: selector present, non-empty, matching the template labels; pod spec valid. */
function validateWorkload(kind: string, restart: string[]) {
  return (o: KubeObject): FieldError[] => {
    const s = spec(o);
    const errs: FieldError[] = [];
    validateReplicas(s, errs);
    const sel = s.selector;
    const tmplLabels = (
      isObject(s.template) && isObject((s.template as JsonObject).metadata)
        ? ((s.template as JsonObject).metadata as JsonObject).labels
        : undefined
    ) as Record<string, string> | undefined;
    if (!isObject(sel)) {
      errs.push(fieldError.required('spec.selector'));
    } else {
      const reqs = selectorFromSpec(sel);
      if (!reqs || reqs.length === 0) {
        errs.push(
          fieldError.invalid(
            'spec.selector',
            sel,
            `empty selector is invalid for ${kind}`,
            'v1.LabelSelector',
          ),
        );
      }
    }
    const reqs = isObject(sel) ? selectorFromSpec(sel) : [];
    if (!reqs || reqs.length === 0 || !matchesLabels(reqs, tmplLabels ?? {})) {
      errs.push(
        fieldError.invalid(
          'spec.template.metadata.labels',
          tmplLabels ?? {},
          '`selector` does not match template `labels`',
          'map[string]string',
        ),
      );
    }
    if (!isObject(s.template)) {
      errs.push(fieldError.required('spec.template'));
    } else {
      errs.push(
        ...validatePodSpec(
          (s.template as JsonObject).spec,
          'spec.template.spec',
          restart,
        ),
      );
    }
    return errs;
  };
}

function immutableSelector(o: KubeObject, old: KubeObject): FieldError[] {
  const a = spec(o).selector;
  const b = isObject(old.spec) ? (old.spec as JsonObject).selector : undefined;
  if (b !== undefined && !deepEqual(a, b)) {
    return [
      fieldError.invalid(
        'spec.selector',
        a ?? null,
        'field is immutable',
        'v1.LabelSelector',
      ),
    ];
  }
  return [];
}

function validateService(o: KubeObject): FieldError[] {
  const s = spec(o);
  const errs: FieldError[] = [];
  const type = s.type ?? 'ClusterIP';
  if (
    !['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(
      String(type),
    )
  ) {
    errs.push(
      fieldError.notSupported('spec.type', type, [
        'ClusterIP',
        'ExternalName',
        'LoadBalancer',
        'NodePort',
      ]),
    );
  }
  const ports = Array.isArray(s.ports) ? s.ports : [];
  if (ports.length === 0 && type !== 'ExternalName' && s.clusterIP !== 'None') {
    errs.push(fieldError.required('spec.ports'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    const base = `spec.ports[${i}]`;
    if (ports.length > 1 && (typeof p.name !== 'string' || !p.name))
      errs.push(fieldError.required(`${base}.name`));
    if (typeof p.name === 'string' && p.name) {
      if (names.has(p.name))
        errs.push(fieldError.duplicate(`${base}.name`, p.name));
      names.add(p.name);
    }
    if (p.port === undefined) errs.push(fieldError.required(`${base}.port`));
    else if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
      errs.push(
        fieldError.invalid(
          `${base}.port`,
          p.port,
          'must be between 1 and 65535, inclusive',
        ),
      );
    }
    if (
      typeof p.targetPort === 'number' &&
      (p.targetPort < 1 || p.targetPort > 65535)
    ) {
      errs.push(
        fieldError.invalid(
          `${base}.targetPort`,
          p.targetPort,
          'must be between 1 and 65535, inclusive',
        ),
      );
    }
    if (
      p.protocol !== undefined &&
      !['TCP', 'UDP', 'SCTP'].includes(String(p.protocol))
    ) {
      errs.push(
        fieldError.notSupported(`${base}.protocol`, p.protocol, [
          'SCTP',
          'TCP',
          'UDP',
        ]),
      );
    }
  });
  return errs;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
function validateConfigKeys(field: string) {
  return (o: KubeObject): FieldError[] => {
    const errs: FieldError[] = [];
    for (const f of [field, 'binaryData', 'stringData']) {
      const data = o[f];
      if (!isObject(data)) continue;
      for (const k of Object.keys(data)) {
        if (!CONFIG_KEY.test(k) || k.length > 253) {
          errs.push(
            fieldError.invalid(
              `${f}[${k}]`,
              k,
              "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            ),
          );
        }
      }
    }
    return errs;
  };
}

const STRATEGIES: Record<string, KindStrategy> = {
  '/namespaces': {
    validateName: dns1123Label,
    defaults: o => {
      const m = meta(o);
      m.labels = {
        ...(m.labels ?? {}),
        'kubernetes.io/metadata.name': m.name ?? '',
      };
      const s = spec(o);
      s.finalizers ??= ['kubernetes'];
      o.status = { phase: 'Active', ...(isObject(o.status) ? o.status : {}) };
    },
  },
  '/pods': {
    defaults: o => {
      const s = spec(o);
      defaultPodSpec(s);
      s.serviceAccountName ??= 'default';
      s.serviceAccount ??= s.serviceAccountName;
      s.enableServiceLinks ??= true;
      s.priority ??= 0;
      s.preemptionPolicy ??= 'PreemptLowerPriority';
      if (!Array.isArray(s.tolerations)) {
        s.tolerations = [
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ];
      }
    },
    validate: o => validatePodSpec(o.spec, 'spec'),
  },
  '/services': {
    validateName: dns1035Label,
    defaults: o => {
      const s = spec(o);
      s.type ??= 'ClusterIP';
      if (s.type !== 'ExternalName') {
        s.sessionAffinity ??= 'None';
        s.ipFamilies ??= ['IPv4'];
        s.ipFamilyPolicy ??= 'SingleStack';
        s.internalTrafficPolicy ??= 'Cluster';
      }
      if (s.type === 'NodePort' || s.type === 'LoadBalancer')
        s.externalTrafficPolicy ??= 'Cluster';
      if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
      if (Array.isArray(s.ports)) {
        for (const p of s.ports) {
          if (!isObject(p)) continue;
          p.protocol ??= 'TCP';
          p.targetPort ??= p.port;
        }
      }
      o.status ??= { loadBalancer: {} };
    },
    validate: validateService,
  },
  '/configmaps': { validate: validateConfigKeys('data') },
  '/secrets': {
    defaults: o => {
      o.type ??= 'Opaque';
      if (isObject(o.stringData)) {
        const data = isObject(o.data) ? (o.data as JsonObject) : {};
        for (const [k, v] of Object.entries(o.stringData))
          data[k] = Buffer.from(String(v)).toString('base64');
        o.data = data;
        delete o.stringData;
      }
    },
    validate: validateConfigKeys('data'),
  },
  'apps/deployments': {
    defaults: o => {
      const s = spec(o);
      s.replicas ??= 1;
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      if (!isObject(s.strategy)) s.strategy = {};
      const st = s.strategy as JsonObject;
      st.type ??= 'RollingUpdate';
      if (st.type === 'RollingUpdate') {
        if (!isObject(st.rollingUpdate)) st.rollingUpdate = {};
        const ru = st.rollingUpdate as JsonObject;
        ru.maxSurge ??= '25%';
        ru.maxUnavailable ??= '25%';
      }
      defaultTemplate(s);
    },
    validate: validateWorkload('deployment', ['Always']),
    validateUpdate: immutableSelector,
  },
  'apps/replicasets': {
    defaults: o => {
      const s = spec(o);
      s.replicas ??= 1;
      defaultTemplate(s);
    },
    validate: validateWorkload('replicaset', ['Always']),
    validateUpdate: immutableSelector,
  },
  'apps/statefulsets': {
    defaults: o => {
      const s = spec(o);
      s.replicas ??= 1;
      s.podManagementPolicy ??= 'OrderedReady';
      s.revisionHistoryLimit ??= 10;
      s.updateStrategy ??= {
        type: 'RollingUpdate',
        rollingUpdate: { partition: 0 },
      };
      s.persistentVolumeClaimRetentionPolicy ??= {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      };
      defaultTemplate(s);
    },
    validate: validateWorkload('statefulset', ['Always']),
    validateUpdate: immutableSelector,
  },
  'apps/daemonsets': {
    defaults: o => {
      const s = spec(o);
      s.revisionHistoryLimit ??= 10;
      s.updateStrategy ??= {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
      };
      defaultTemplate(s);
    },
    validate: validateWorkload('daemonset', ['Always']),
    validateUpdate: immutableSelector,
  },
  'batch/jobs': {
    defaults: o => {
      const s = spec(o);
      s.parallelism ??= 1;
      s.completions ??= 1;
      s.backoffLimit ??= 6;
      s.completionMode ??= 'NonIndexed';
      s.suspend ??= false;
      s.manualSelector ??= undefined;
      s.podReplacementPolicy ??= 'TerminatingOrFailed';
      const uid = meta(o).uid;
      if (!isObject(s.selector) && uid) {
        s.selector = {
          matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
        };
      }
      if (isObject(s.template)) {
        const t = s.template as JsonObject;
        if (!isObject(t.metadata)) t.metadata = {};
        const tm = t.metadata as JsonObject;
        if (uid && !s.manualSelector) {
          tm.labels = {
            ...((tm.labels as Record<string, string>) ?? {}),
            'batch.kubernetes.io/controller-uid': uid,
            'batch.kubernetes.io/job-name': meta(o).name ?? '',
            'controller-uid': uid,
            'job-name': meta(o).name ?? '',
          };
        }
      }
      for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
      defaultTemplate(s);
    },
    validate: o => {
      const s = spec(o);
      const t = isObject(s.template) ? (s.template as JsonObject) : undefined;
      const errs = validatePodSpec(t?.spec, 'spec.template.spec');
      const rp = isObject(t?.spec)
        ? (t!.spec as JsonObject).restartPolicy
        : undefined;
      if (rp !== 'OnFailure' && rp !== 'Never') {
        errs.push(
          fieldError.required(
            'spec.template.spec.restartPolicy',
            'valid values: "OnFailure", "Never"',
          ),
        );
      }
      return errs;
    },
    validateUpdate: (o, old) => {
      const a = isObject(o.spec) ? (o.spec as JsonObject).template : undefined;
      const b = isObject(old.spec)
        ? (old.spec as JsonObject).template
        : undefined;
      return deepEqual(a, b)
        ? []
        : [
            fieldError.invalid(
              'spec.template',
              a ?? null,
              'field is immutable',
              'core.PodTemplateSpec',
            ),
          ];
    },
  },
  'apiextensions.k8s.io/customresourcedefinitions': {
    validate: validateCrd,
  },
  'rbac.authorization.k8s.io/roles': { validateName: pathSegmentName },
  'rbac.authorization.k8s.io/rolebindings': { validateName: pathSegmentName },
  'rbac.authorization.k8s.io/clusterroles': { validateName: pathSegmentName },
  'rbac.authorization.k8s.io/clusterrolebindings': {
    validateName: pathSegmentName,
  },
  '/events': { validateName: () => [] },
  'admissionregistration.k8s.io/mutatingwebhookconfigurations':
    webhookConfigurationStrategy(true),
  'admissionregistration.k8s.io/validatingwebhookconfigurations':
    webhookConfigurationStrategy(false),
};

export function strategyFor(type: ResourceType): KindStrategy {
  return STRATEGIES[type.storageKey] ?? {};
}

/** Metadata checks common to every kind: name, labels, annotations. */
export function validateObjectMeta(
  type: ResourceType,
  obj: KubeObject,
): FieldError[] {
  const m = meta(obj);
  const errs: FieldError[] = [];
  const name = m.name;
  if (!name) {
    errs.push(
      fieldError.required('metadata.name', 'name or generateName is required'),
    );
  } else {
    const validate = strategyFor(type).validateName ?? dns1123Subdomain;
    for (const msg of validate(name))
      errs.push(fieldError.invalid('metadata.name', name, msg));
  }
  if (m.labels !== undefined && !isObject(m.labels)) {
    errs.push(fieldError.invalid('metadata.labels', m.labels, 'must be a map'));
  } else {
    for (const [k, v] of Object.entries(m.labels ?? {})) {
      for (const msg of qualifiedName(k))
        errs.push(fieldError.invalid('metadata.labels', k, msg));
      for (const msg of labelValue(String(v)))
        errs.push(fieldError.invalid('metadata.labels', v, msg));
    }
  }
  for (const k of Object.keys(m.annotations ?? {})) {
    for (const msg of qualifiedName(k.toLowerCase()))
      errs.push(fieldError.invalid('metadata.annotations', k, msg));
  }
  return errs;
}
