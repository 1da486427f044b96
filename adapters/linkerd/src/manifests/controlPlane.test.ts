import type { PlanObject } from '@meshstage/plugin-mesh-common';
import { renderLinkerdControlPlane } from './controlPlane';

const find = (objects: PlanObject[], kind: string, name?: string) =>
  objects.find(
    o => o.kind === kind && (!name || o.metadata.name === name),
  ) as any;

describe('renderLinkerdControlPlane', () => {
  it.each(['stable-2.14.10', 'edge-24.11.8', 'edge-26.5.5', 'edge-26.8.3'])(
    'renders the three control-plane deployments of %s with its version',
    version => {
      const objects = renderLinkerdControlPlane({ version });
      for (const name of [
        'linkerd-identity',
        'linkerd-destination',
        'linkerd-proxy-injector',
      ]) {
        const d = find(objects, 'Deployment', name);
        expect(d.metadata.namespace).toBe('linkerd');
        expect(d.metadata.labels['linkerd.io/control-plane-version']).toBe(
          version,
        );
        const component = name.replace('linkerd-', '');
        expect(
          d.spec.template.spec.containers.find((c: any) => c.name === component)
            .image,
        ).toBe(`cr.l5d.io/linkerd/controller:${version}`);
        expect(d.spec.replicas).toBe(1);
      }
    },
  );

  it('tells the injector its proxy images in linkerd-config, and writes the trust anchors everywhere the chart does', () => {
    const edge = renderLinkerdControlPlane({
      version: 'edge-26.8.3',
      trustAnchorsPEM: 'PEM',
    });
    const values = JSON.parse(
      find(edge, 'ConfigMap', 'linkerd-config').data.values,
    );
    expect(values).toMatchObject({
      linkerdVersion: 'edge-26.8.3',
      proxy: { image: { name: 'cr.l5d.io/linkerd/proxy', version: '' } },
      identityTrustAnchorsPEM: 'PEM',
    });
    expect(values.proxyInit.image).toBeUndefined();
    expect(
      find(edge, 'ConfigMap', 'linkerd-identity-trust-roots').data,
    ).toEqual({ 'ca-bundle.crt': 'PEM' });
    const stable = JSON.parse(
      find(
        renderLinkerdControlPlane({ version: 'stable-2.14.10' }),
        'ConfigMap',
        'linkerd-config',
      ).data.values,
    );
    expect(stable.proxyInit.image).toEqual({
      name: 'cr.l5d.io/linkerd/proxy-init',
      pullPolicy: '',
      version: 'v2.2.3',
    });
  });

  it('labels the namespace as the control plane and keeps the injector out of it', () => {
    const objects = renderLinkerdControlPlane({ version: 'edge-24.11.8' });
    expect(objects[0]).toMatchObject({
      kind: 'Namespace',
      metadata: {
        name: 'linkerd',
        labels: {
          'linkerd.io/is-control-plane': 'true',
          'config.linkerd.io/admission-webhooks': 'disabled',
        },
      },
    });
    const webhook = find(objects, 'MutatingWebhookConfiguration');
    expect(webhook.webhooks[0].clientConfig.service).toMatchObject({
      name: 'linkerd-proxy-injector',
      namespace: 'linkerd',
    });
    expect(webhook.webhooks[0].namespaceSelector.matchExpressions[0]).toEqual({
      key: 'config.linkerd.io/admission-webhooks',
      operator: 'NotIn',
      values: ['disabled'],
    });
    expect(objects[objects.length - 1].kind).toBe(
      'MutatingWebhookConfiguration',
    );
  });

  it('ships the policy.linkerd.io CRDs as structural v1 CRDs', () => {
    const crds = renderLinkerdControlPlane({
      version: 'stable-2.14.10',
    }).filter(o => o.kind === 'CustomResourceDefinition') as any[];
    expect(crds.map(c => c.metadata.name)).toEqual([
      'servers.policy.linkerd.io',
      'serverauthorizations.policy.linkerd.io',
      'httproutes.policy.linkerd.io',
      'authorizationpolicies.policy.linkerd.io',
    ]);
    for (const crd of crds) {
      expect(crd.spec.versions.filter((v: any) => v.storage)).toHaveLength(1);
      expect(
        crd.spec.versions[0].schema.openAPIV3Schema.properties.spec[
          'x-kubernetes-preserve-unknown-fields'
        ],
      ).toBe(true);
    }
  });

  it('applies the ha profile and values; rejects unknown versions and profiles', () => {
    const objects = renderLinkerdControlPlane({
      version: 'edge-24.11.8',
      profile: 'ha',
      values: { proxy: { logLevel: 'debug' } },
    });
    expect(
      find(objects, 'Deployment', 'linkerd-destination').spec.replicas,
    ).toBe(3);
    expect(
      JSON.parse(find(objects, 'ConfigMap', 'linkerd-config').data.values)
        .proxy,
    ).toEqual({ logLevel: 'debug' });
    expect(() =>
      renderLinkerdControlPlane({ version: 'stable-2.13.0' }),
    ).toThrow('supported versions: stable-2.14.10, edge-24.11.8');
    expect(() =>
      renderLinkerdControlPlane({ version: 'edge-24.11.8', profile: 'tiny' }),
    ).toThrow("Unknown Linkerd profile 'tiny'");
  });
});
