import { controlPlaneNamespaces, detectLinkerd } from './detect';
import {
  controlPlaneDeployment,
  fullControlPlane,
  namespace,
  pod,
} from './testFixtures';

const cpNamespace = namespace('linkerd', {
  labels: { 'linkerd.io/is-control-plane': 'true' },
});

describe('controlPlaneNamespaces', () => {
  it('prefers labelled namespaces and falls back to the conventional one', () => {
    expect(
      controlPlaneNamespaces([
        namespace('linkerd'),
        namespace('l5d', { labels: { 'linkerd.io/is-control-plane': 'true' } }),
      ]),
    ).toEqual(['l5d']);
    expect(controlPlaneNamespaces([namespace('linkerd')])).toEqual(['linkerd']);
    expect(controlPlaneNamespaces([namespace('default')])).toEqual([]);
  });
});

describe('detectLinkerd', () => {
  it('reports Linkerd as not installed without its control plane', () => {
    expect(
      detectLinkerd({
        namespaces: [namespace('bookinfo')],
        deployments: [],
        pods: [pod('details-1', 'bookinfo')],
      }),
    ).toEqual({
      installed: false,
      versions: [],
      revisions: [],
      components: [],
      namespaces: [],
    });
  });

  it('reads the control plane, its version from image tags, and health', () => {
    const status = detectLinkerd({
      namespaces: [cpNamespace],
      deployments: fullControlPlane({ version: 'edge-24.11.8' }),
      pods: [],
    });
    expect(status.installed).toBe(true);
    expect(status.versions).toEqual(['edge-24.11.8']);
    expect(status.revisions).toEqual([]);
    expect(status.components).toEqual([
      {
        name: 'linkerd-destination',
        namespace: 'linkerd',
        version: 'edge-24.11.8',
        replicas: 1,
        readyReplicas: 1,
        healthy: true,
      },
      expect.objectContaining({ name: 'linkerd-identity', healthy: true }),
      expect.objectContaining({
        name: 'linkerd-proxy-injector',
        healthy: true,
      }),
    ]);
  });

  it('prefers the control-plane-version label over the image tag', () => {
    const d = controlPlaneDeployment('linkerd-destination', {
      version: 'stable-2.14.10',
      versionLabel: true,
    });
    d.spec!.template!.spec!.containers[0].image =
      'registry.local/controller:latest';
    const status = detectLinkerd({
      namespaces: [cpNamespace],
      deployments: [d],
      pods: [],
    });
    expect(status.components[0].version).toBe('stable-2.14.10');
  });

  it('shows missing and unready control-plane pieces as unhealthy', () => {
    const status = detectLinkerd({
      namespaces: [cpNamespace],
      deployments: [
        controlPlaneDeployment('linkerd-destination', {
          replicas: 3,
          readyReplicas: 2,
        }),
        controlPlaneDeployment('linkerd-identity'),
      ],
      pods: [],
    });
    expect(
      status.components.map(c => [
        c.name,
        c.readyReplicas,
        c.replicas,
        c.healthy,
      ]),
    ).toEqual([
      ['linkerd-destination', 2, 3, false],
      ['linkerd-identity', 1, 1, true],
      ['linkerd-proxy-injector', 0, 0, false],
    ]);
  });

  it('ignores look-alike Deployments outside the control-plane namespace', () => {
    const status = detectLinkerd({
      namespaces: [cpNamespace, namespace('tools')],
      deployments: [
        controlPlaneDeployment('linkerd-destination', { namespace: 'tools' }),
      ],
      pods: [],
    });
    expect(status.installed).toBe(false);
  });

  it('counts pods and meshed pods of annotated namespaces and of namespaces holding proxies', () => {
    const status = detectLinkerd({
      namespaces: [
        cpNamespace,
        namespace('emojivoto', {
          annotations: { 'linkerd.io/inject': 'enabled' },
        }),
        namespace('plain'),
      ],
      deployments: fullControlPlane(),
      pods: [
        pod(
          'linkerd-destination-1',
          'linkerd',
          'cr.l5d.io/linkerd/proxy:stable-2.14.10',
        ),
        pod('web-1', 'emojivoto', 'cr.l5d.io/linkerd/proxy:stable-2.14.10'),
        pod('web-2', 'emojivoto'),
        pod('plain-1', 'plain'),
      ],
    });
    expect(status.namespaces).toEqual([
      { name: 'emojivoto', injectionEnabled: true, pods: 2, meshedPods: 1 },
      { name: 'linkerd', injectionEnabled: false, pods: 1, meshedPods: 1 },
    ]);
  });
});
