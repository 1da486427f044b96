import type { PlanObject } from '@meshstage/plugin-mesh-common';
import { parse as parseYaml } from 'yaml';
import {
  renderIstioControlPlane,
  renderIstioRevisionTag,
} from './controlPlane';
import {
  readVendorObjects,
  vendorManifestsDir,
  VENDOR_MANIFESTS_MISSING,
} from './__testUtils__/vendorManifests';

// The built-in renderer (offline dev cluster) against the vendor's own `helm template` output for
// the same version: the objects MeshStage and the injector depend on must match in names, kinds,
// labels, selectors, webhooks, ConfigMap keys and images.

/** Labels something reads: detection (app, istio.io/rev, istio.io/tag), kube-sim, dashboards. */
const LABELS = [
  'app',
  'istio',
  'istio.io/rev',
  'istio.io/tag',
  'app.kubernetes.io/name',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/version',
];
const TEMPLATE_LABELS = [
  'app',
  'istio',
  'istio.io/rev',
  'sidecar.istio.io/inject',
];
/** Kinds compared object by object (CRDs are compared by name below; HPA, Role rules are not read). */
const KINDS = [
  'ServiceAccount',
  'ConfigMap',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'Deployment',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const pick = (
  record: Record<string, unknown> | undefined,
  keys: string[],
): Record<string, string> =>
  Object.fromEntries(
    keys
      .filter(k => record?.[k] !== undefined)
      .map(k => [k, String(record![k])]),
  );

const parse = (text: string) => {
  const v = parseYaml(text);
  return v && typeof v === 'object' ? v : {};
};

function webhooks(o: any) {
  return (o.webhooks ?? []).map((w: any) => ({
    name: w.name,
    service: w.clientConfig?.service,
    rules: w.rules,
    failurePolicy: w.failurePolicy,
    sideEffects: w.sideEffects,
    reinvocationPolicy: w.reinvocationPolicy,
    admissionReviewVersions: w.admissionReviewVersions,
    namespaceSelector: w.namespaceSelector,
    objectSelector: w.objectSelector,
  }));
}

function configMapFacts(o: any) {
  const data: Record<string, string> = o.data ?? {};
  const facts: Record<string, unknown> = { keys: Object.keys(data).sort() };
  if (o.metadata.name.startsWith('istio-sidecar-injector')) {
    const values = JSON.parse(data.values);
    const config = parse(data.config) as any;
    facts.values = {
      topKeys: Object.keys(values).sort(),
      hub: values.global.hub,
      tag: values.global.tag,
      proxyImage: values.global.proxy.image,
      proxyInitImage: values.global.proxy_init.image,
      revision: values.revision,
    };
    facts.config = {
      keys: Object.keys(config).sort(),
      defaultTemplates: config.defaultTemplates,
      policy: config.policy,
      alwaysInjectSelector: config.alwaysInjectSelector,
      neverInjectSelector: config.neverInjectSelector,
      templates: Object.keys(config.templates ?? {}).sort(),
    };
  } else if (data.mesh !== undefined) {
    const mesh = parse(data.mesh) as any;
    facts.mesh = {
      discoveryAddress: mesh.defaultConfig?.discoveryAddress,
      rootNamespace: mesh.rootNamespace,
      trustDomain: mesh.trustDomain,
    };
  } else if (data['original-values'] !== undefined) {
    facts.originalValues = parse(data['original-values']);
  }
  return facts;
}

/** What MeshStage depends on in one object. */
function project(o: any) {
  const out: Record<string, unknown> = {
    labels: pick(o.metadata.labels, LABELS),
  };
  switch (o.kind) {
    case 'Deployment': {
      const t = o.spec.template;
      out.selector = o.spec.selector;
      out.templateLabels = pick(t.metadata.labels, TEMPLATE_LABELS);
      out.injectAnnotation =
        t.metadata.annotations?.['sidecar.istio.io/inject'];
      out.serviceAccountName = t.spec.serviceAccountName;
      out.containers = t.spec.containers.map((c: any) => ({
        name: c.name,
        image: c.image,
        ports: c.ports?.map((p: any) => p.containerPort),
      }));
      break;
    }
    case 'Service':
      out.selector = o.spec.selector;
      out.ports = o.spec.ports.map((p: any) => [p.name, p.port, p.targetPort]);
      break;
    case 'ConfigMap':
      Object.assign(out, configMapFacts(o));
      break;
    case 'MutatingWebhookConfiguration':
    case 'ValidatingWebhookConfiguration':
      out.webhooks = webhooks(o);
      break;
    case 'ClusterRoleBinding':
    case 'RoleBinding':
      out.roleRef = o.roleRef;
      out.subjects = o.subjects;
      break;
    default:
  }
  return out;
}

function projectAll(objects: PlanObject[]) {
  return Object.fromEntries(
    objects
      .filter(o => KINDS.includes(o.kind))
      .map(o => [
        `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        project(o),
      ]),
  );
}

const haveVendor = !!vendorManifestsDir();
const describeVendor = haveVendor ? describe : describe.skip;
if (!haveVendor) {
  // eslint-disable-next-line no-console
  console.warn(VENDOR_MANIFESTS_MISSING);
}

const BASE_NAMES = new Set([
  'ServiceAccount/istio-reader-service-account',
  'ValidatingWebhookConfiguration/istiod-default-validator',
]);
const isBase = (o: PlanObject) =>
  o.kind === 'CustomResourceDefinition' ||
  o.kind === 'Namespace' ||
  BASE_NAMES.has(`${o.kind}/${o.metadata.name}`);

describeVendor('the built-in Istio renderer matches the vendor charts', () => {
  describe.each(['1.29.6', '1.30.3'])('Istio %s', version => {
    const rev = version.replace(/\./g, '-');

    it('istiod (default revision) matches istiod-default.yaml', () => {
      const vendor = readVendorObjects(`istio/${version}/istiod-default.yaml`);
      const ours = renderIstioControlPlane({ version }).filter(o => !isBase(o));
      expect(projectAll(ours)).toEqual(projectAll(vendor));
    });

    it(`istiod revision ${rev} matches istiod-${rev}.yaml`, () => {
      const vendor = readVendorObjects(`istio/${version}/istiod-${rev}.yaml`);
      const ours = renderIstioControlPlane({ version, revision: rev }).filter(
        o => !isBase(o),
      );
      expect(projectAll(ours)).toEqual(projectAll(vendor));
    });

    it('the default revision tag matches revision-tag-default.yaml', () => {
      const vendor = readVendorObjects(
        `istio/${version}/revision-tag-default.yaml`,
      );
      const ours = renderIstioRevisionTag({
        tag: 'default',
        revision: rev,
        version,
      });
      expect(projectAll(ours)).toEqual(projectAll(vendor));
    });

    it("base.yaml: the reader account, the default validator, and CRDs named as the vendor's", () => {
      const vendor = readVendorObjects(`istio/${version}/base.yaml`);
      const ours = renderIstioControlPlane({ version }).filter(isBase);
      expect(projectAll(ours)).toEqual(projectAll(vendor));
      const vendorCrds = new Map(
        vendor
          .filter(o => o.kind === 'CustomResourceDefinition')
          .map((o: any) => [o.metadata.name, o.spec]),
      );
      const ourCrds = ours.filter(
        o => o.kind === 'CustomResourceDefinition',
      ) as any[];
      expect(ourCrds.length).toBeGreaterThan(0);
      for (const crd of ourCrds) {
        const spec = vendorCrds.get(crd.metadata.name);
        expect({ name: crd.metadata.name, found: !!spec }).toEqual({
          name: crd.metadata.name,
          found: true,
        });
        expect(crd.spec.names.kind).toBe(spec.names.kind);
        expect(crd.spec.scope).toBe(spec.scope);
        const served = (s: any) =>
          s.versions
            .filter((v: any) => v.served)
            .map((v: any) => v.name)
            .sort();
        expect(served(crd.spec)).toEqual(served(spec));
        expect(crd.spec.versions.find((v: any) => v.storage).name).toBe(
          spec.versions.find((v: any) => v.storage).name,
        );
      }
    });
  });
});
