import { stringify } from 'yaml';
import {
  readVendorObjects,
  vendorManifestsDir,
  VENDOR_MANIFESTS_MISSING,
} from '../manifests/__testUtils__/vendorManifests';
import { renderLinkerdControlPlane } from '../manifests/controlPlane';
import { brief, run } from './__testUtils__/run';
import { controlPlaneExistenceAnalyzer } from './controlPlaneExistence';

const haveVendor = !!vendorManifestsDir();
if (!haveVendor) {
  // eslint-disable-next-line no-console
  console.warn(VENDOR_MANIFESTS_MISSING);
}

/** Linkerd's own control-plane.yaml of `version` as YAML, without the objects `drop` names. */
const vendorYaml = (version: string, drop: string[] = []) =>
  readVendorObjects(`linkerd/${version}/control-plane.yaml`)
    .filter(o => !drop.includes(`${o.kind}/${o.metadata.name}`))
    .map(o => `---\n${stringify(o)}`)
    .join('');

(haveVendor ? describe : describe.skip)(
  "MS0329 control plane objects linkerd check expects (Linkerd's own manifests)",
  () => {
    it.each(['edge-26.5.5', 'edge-26.8.3', 'stable-2.14.10'])(
      'is quiet on a cluster running %s as Linkerd installs it',
      version => {
        expect(
          run(controlPlaneExistenceAnalyzer, vendorYaml(version), true),
        ).toEqual([]);
      },
    );

    it("reports each check with missing objects, in linkerd check's words", () => {
      const findings = run(
        controlPlaneExistenceAnalyzer,
        vendorYaml('edge-26.8.3', [
          'ServiceAccount/linkerd-identity',
          'ServiceAccount/linkerd-heartbeat',
          'ClusterRole/linkerd-linkerd-proxy-injector',
          'ClusterRoleBinding/linkerd-linkerd-identity',
          'ClusterRoleBinding/linkerd-linkerd-proxy-injector',
          'MutatingWebhookConfiguration/linkerd-proxy-injector-webhook-config',
          'ValidatingWebhookConfiguration/linkerd-sp-validator-webhook-config',
        ]),
        true,
      );
      expect(brief(findings).map(f => `${f.code} ${f.resource}`)).toEqual(
        Array(6).fill('MS0329 ConfigMap/linkerd/linkerd-config'),
      );
      expect(findings.map(f => f.message).sort()).toEqual([
        'linkerd check: control plane ClusterRoleBindings exist: missing ClusterRoleBindings: linkerd-linkerd-identity, linkerd-linkerd-proxy-injector (control plane in namespace "linkerd").',
        'linkerd check: control plane ClusterRoles exist: missing ClusterRoles: linkerd-linkerd-proxy-injector (control plane in namespace "linkerd").',
        'linkerd check: control plane MutatingWebhookConfigurations exist: missing MutatingWebhookConfigurations: linkerd-proxy-injector-webhook-config (control plane in namespace "linkerd").',
        'linkerd check: control plane ServiceAccounts exist: missing ServiceAccounts: linkerd-identity (control plane in namespace "linkerd").',
        'linkerd check: control plane ValidatingWebhookConfigurations exist: missing ValidatingWebhookConfigurations: linkerd-sp-validator-webhook-config (control plane in namespace "linkerd").',
        'linkerd check: heartbeat ServiceAccount exist: missing ServiceAccounts: linkerd-heartbeat (control plane in namespace "linkerd").',
      ]);
    });

    it('reports a missing linkerd-config where the control-plane Deployments run', () => {
      const findings = run(
        controlPlaneExistenceAnalyzer,
        vendorYaml('edge-26.8.3', ['ConfigMap/linkerd-config']),
        true,
      );
      expect(findings.map(f => f.message)).toEqual([
        'linkerd check: \'linkerd-config\' config map exists: configmaps "linkerd-config" not found (control plane in namespace "linkerd").',
      ]);
      expect(brief(findings)[0].resource).toBe(
        'Deployment/linkerd/linkerd-destination',
      );
    });

    it("counts only objects labelled as the control plane's, as linkerd check lists them", () => {
      const objects = readVendorObjects(
        'linkerd/edge-26.8.3/control-plane.yaml',
      );
      const sa = objects.find(
        o =>
          o.kind === 'ServiceAccount' &&
          o.metadata.name === 'linkerd-destination',
      )!;
      delete sa.metadata.labels!['linkerd.io/control-plane-ns'];
      const yaml = objects.map(o => `---\n${stringify(o)}`).join('');
      expect(
        run(controlPlaneExistenceAnalyzer, yaml, true).map(f => f.message),
      ).toEqual([
        'linkerd check: control plane ServiceAccounts exist: missing ServiceAccounts: linkerd-destination (control plane in namespace "linkerd").',
      ]);
    });

    it('does not expect the heartbeat ServiceAccount when the heartbeat is disabled', () => {
      const yaml = vendorYaml('edge-26.8.3', [
        'ServiceAccount/linkerd-heartbeat',
      ]).replace(/^(\s+)disableHeartBeat: false$/m, '$1disableHeartBeat: true');
      expect(yaml).toMatch(/disableHeartBeat: true/);
      expect(run(controlPlaneExistenceAnalyzer, yaml, true)).toEqual([]);
    });

    describe('on a cluster that refuses to list some kinds', () => {
      const RBAC = 'rbac.authorization.k8s.io/v1';
      /** A kind refused as the API server refuses it to a role without `list` on it. */
      const forbidden = (apiVersion: string, kind: string, plural: string) => {
        const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
        return {
          apiVersion,
          kind,
          reason: `${plural}${
            group ? `.${group}` : ''
          } is forbidden: User "meshstage" cannot list resource "${plural}" in API group "${group}" at the cluster scope`,
        };
      };
      /** The vendor's objects as such a cluster lists them: none of the refused kinds. */
      const listed = (refused: string[], drop: string[] = []) =>
        readVendorObjects('linkerd/edge-26.8.3/control-plane.yaml')
          .filter(
            o =>
              !refused.includes(o.kind) &&
              !drop.includes(`${o.kind}/${o.metadata.name}`),
          )
          .map(o => `---\n${stringify(o)}`)
          .join('');

      it('skips the ClusterRole and ClusterRoleBinding checks, and still makes the others', () => {
        const yaml = listed(
          ['ClusterRole', 'ClusterRoleBinding'],
          ['ServiceAccount/linkerd-identity'],
        );
        // Run as if the lists had been allowed, the empty lists would be missing objects.
        expect(
          run(controlPlaneExistenceAnalyzer, yaml, true).map(f => f.message),
        ).toEqual(
          expect.arrayContaining([
            expect.stringContaining('missing ClusterRoles'),
            expect.stringContaining('missing ClusterRoleBindings'),
          ]),
        );
        const findings = run(controlPlaneExistenceAnalyzer, yaml, {
          includesCluster: true,
          unreadable: [
            forbidden(RBAC, 'ClusterRole', 'clusterroles'),
            forbidden(RBAC, 'ClusterRoleBinding', 'clusterrolebindings'),
          ],
        });
        expect(findings.map(f => `${f.code} ${f.message}`)).toEqual([
          'MS0329 linkerd check: control plane ServiceAccounts exist: missing ServiceAccounts: linkerd-identity (control plane in namespace "linkerd").',
          'MS0005 MeshStage may not list ClusterRole objects (rbac.authorization.k8s.io/v1) on this cluster, so the checks that read them (MS0329) were skipped: clusterroles.rbac.authorization.k8s.io is forbidden: User "meshstage" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
          'MS0005 MeshStage may not list ClusterRoleBinding objects (rbac.authorization.k8s.io/v1) on this cluster, so the checks that read them (MS0329) were skipped: clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "meshstage" cannot list resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope',
        ]);
      });

      it('judges neither linkerd-config nor the heartbeat without the ConfigMaps', () => {
        const yaml = listed(
          ['ConfigMap'],
          ['ServiceAccount/linkerd-heartbeat'],
        );
        expect(
          run(controlPlaneExistenceAnalyzer, yaml, true).map(f => f.message),
        ).toEqual([
          'linkerd check: \'linkerd-config\' config map exists: configmaps "linkerd-config" not found (control plane in namespace "linkerd").',
        ]);
        const findings = run(controlPlaneExistenceAnalyzer, yaml, {
          includesCluster: true,
          unreadable: [forbidden('v1', 'ConfigMap', 'configmaps')],
        });
        expect(findings.map(f => f.code)).toEqual(['MS0005']);
      });
    });

    it('is quiet on files, which rarely hold a whole control plane', () => {
      expect(
        run(
          controlPlaneExistenceAnalyzer,
          vendorYaml('edge-26.8.3', ['ServiceAccount/linkerd-identity']),
        ),
      ).toEqual([]);
    });
  },
);

describe('MS0329 without a control plane', () => {
  it('is quiet on a cluster without Linkerd', () => {
    expect(
      run(
        controlPlaneExistenceAnalyzer,
        `---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: shop}
data: {values: "x: 1"}
`,
        true,
      ),
    ).toEqual([]);
  });
});

describe("MS0329 on MeshStage's own Linkerd control plane", () => {
  it.each(['edge-26.8.3', 'stable-2.14.10'])(
    'is quiet on a cluster running what the built-in renderer installs for %s',
    version => {
      const yaml = renderLinkerdControlPlane({ version })
        .map(o => `---\n${stringify(o)}`)
        .join('');
      expect(run(controlPlaneExistenceAnalyzer, yaml, true)).toEqual([]);
    },
  );
});
