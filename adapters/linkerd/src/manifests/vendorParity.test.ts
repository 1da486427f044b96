import type { PlanObject } from '@meshstage/plugin-mesh-common';
import { parse as parseYaml } from 'yaml';
import { renderLinkerdControlPlane } from './controlPlane';
import {
  readVendorObjects,
  vendorManifestsDir,
  VENDOR_MANIFESTS_MISSING,
} from './__testUtils__/vendorManifests';

// The built-in renderer (offline dev cluster) against the vendor's own `helm template` output for
// the same version: the objects MeshStage and the injector depend on must match in names, kinds,
// labels, selectors, webhooks, linkerd-config's keys and images.

const LABELS = [
  'linkerd.io/control-plane-component',
  'linkerd.io/control-plane-ns',
  'app.kubernetes.io/name',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/version',
];
const TEMPLATE_LABELS = [
  'linkerd.io/control-plane-component',
  'linkerd.io/control-plane-ns',
  'linkerd.io/workload-ns',
  'linkerd.io/proxy-deployment',
];
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
// Not rendered by the built-in renderer: the heartbeat (a CronJob that reports to Linkerd's
// servers, with its account and RBAC). Nothing in MeshStage reads them.
const NOT_RENDERED = /heartbeat/;

const pick = (record: Record<string, unknown> | undefined, keys: string[]) =>
  Object.fromEntries(
    keys
      .filter(k => record?.[k] !== undefined)
      .map(k => [k, String(record![k])]),
  );

const containers = (list: any[] | undefined) =>
  (list ?? []).map(c => ({ name: c.name, image: c.image }));

function project(o: any) {
  const out: Record<string, unknown> = {
    labels: pick(o.metadata.labels, LABELS),
  };
  switch (o.kind) {
    case 'Deployment': {
      const t = o.spec.template;
      out.selector = o.spec.selector;
      out.templateLabels = pick(t.metadata.labels, TEMPLATE_LABELS);
      out.templateAnnotations = pick(t.metadata.annotations, [
        'linkerd.io/proxy-version',
        'config.linkerd.io/default-inbound-policy',
      ]);
      out.serviceAccountName = t.spec.serviceAccountName;
      out.initContainers = containers(t.spec.initContainers);
      out.containers = containers(t.spec.containers);
      out.volumes = (t.spec.volumes ?? [])
        .filter((v: any) => v.secret || v.configMap)
        .map((v: any) => ({
          name: v.name,
          secret: v.secret?.secretName,
          configMap: v.configMap?.name,
        }));
      break;
    }
    case 'Service':
      out.selector = o.spec.selector;
      out.clusterIP = o.spec.clusterIP;
      out.ports = o.spec.ports.map((p: any) => [p.name, p.port, p.targetPort]);
      break;
    case 'ConfigMap': {
      out.keys = Object.keys(o.data ?? {}).sort();
      if (o.metadata.name === 'linkerd-config') {
        const v = parseYaml(o.data.values);
        out.values = {
          linkerdVersion: v.linkerdVersion,
          controllerImage: v.controllerImage,
          proxyImage: v.proxy?.image?.name,
          proxyVersion: v.proxy?.image?.version,
          proxyInitImage: v.proxyInit?.image,
          policyControllerImage: v.policyController?.image?.name,
          identityTrustAnchorsPEM: typeof v.identityTrustAnchorsPEM,
          identityTrustDomain: v.identityTrustDomain,
          externalCA: v.identity?.externalCA,
          issuerScheme: v.identity?.issuer?.scheme,
          webhookFailurePolicy: v.webhookFailurePolicy,
        };
      }
      break;
    }
    case 'MutatingWebhookConfiguration':
    case 'ValidatingWebhookConfiguration':
      out.annotations = o.metadata.annotations;
      out.webhooks = o.webhooks.map((w: any) => ({
        name: w.name,
        service: w.clientConfig?.service,
        rules: w.rules,
        failurePolicy: w.failurePolicy,
        sideEffects: w.sideEffects,
        admissionReviewVersions: w.admissionReviewVersions,
        namespaceSelector: w.namespaceSelector,
        objectSelector: w.objectSelector,
      }));
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

const projectAll = (objects: PlanObject[]) =>
  Object.fromEntries(
    objects
      .filter(
        o => KINDS.includes(o.kind) && !NOT_RENDERED.test(o.metadata.name),
      )
      .map(o => [
        `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        project(o),
      ]),
  );

const haveVendor = !!vendorManifestsDir();
if (!haveVendor) {
  // eslint-disable-next-line no-console
  console.warn(VENDOR_MANIFESTS_MISSING);
}

(haveVendor ? describe : describe.skip)(
  'the built-in Linkerd renderer matches the vendor charts',
  () => {
    describe.each(['edge-26.5.5', 'edge-26.8.3', 'stable-2.14.10'])(
      'Linkerd %s',
      version => {
        it('control plane matches control-plane.yaml', () => {
          const vendor = readVendorObjects(
            `linkerd/${version}/control-plane.yaml`,
          );
          // The vendor's chart does not render the trust roots with an external CA: it mounts the
          // ConfigMap MeshStage creates (see identity.ts).
          const ours = renderLinkerdControlPlane({ version }).filter(
            o => o.metadata.name !== 'linkerd-identity-trust-roots',
          );
          expect(projectAll(ours)).toEqual(projectAll(vendor));
        });

        it("CRDs are named and kinded as the vendor's linkerd-crds chart", () => {
          const vendor = new Map(
            readVendorObjects(`linkerd/${version}/crds.yaml`).map((o: any) => [
              o.metadata.name,
              o.spec,
            ]),
          );
          const ours = renderLinkerdControlPlane({ version }).filter(
            o => o.kind === 'CustomResourceDefinition',
          ) as any[];
          for (const crd of ours) {
            expect([crd.metadata.name, vendor.has(crd.metadata.name)]).toEqual([
              crd.metadata.name,
              true,
            ]);
            expect(crd.spec.names.kind).toBe(
              vendor.get(crd.metadata.name).names.kind,
            );
          }
        });
      },
    );
  },
);
