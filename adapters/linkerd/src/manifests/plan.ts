import type {
  LifecycleRequest,
  Plan,
  PlanObject,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import type {
  KubeDeployment,
  KubeObject,
  MeshDetection,
  PlanContext,
} from '@meshstage/plugin-mesh-node';
import {
  REDACTED,
  planSampleApp,
  applyStep,
  deleteStep,
  deploymentRef,
  kubeResources,
  patchStep,
  restartDeploymentSteps,
  waitStep,
} from '@meshstage/plugin-mesh-node';
import { CONVENTIONAL_NAMESPACE, INJECT_ANNOTATION } from '../constants';
import { linkerdSampleApps } from '../samples';
import {
  ISSUER_SECRET,
  LINKERD_DEPLOYMENT_ORDER,
  TRUST_ROOTS_CONFIG_MAP,
  linkerdNamespace,
  renderLinkerdControlPlane,
  trustRootsConfigMap,
} from './controlPlane';
import {
  TRUST_ANCHOR_SECRET,
  createIssuer,
  createTrustAnchor,
  issuerSecret,
  servingSecretName,
  withServingCertificates,
  secretValue,
  trustAnchorSecret,
} from '../identity';

const SECRETS = { group: '', version: 'v1', plural: 'secrets' } as const;

/** The built-in control plane's webhook Services, which serve from `<service>-k8s-tls`. */
const WEBHOOK_SERVICES = [
  'linkerd-policy-validator',
  'linkerd-proxy-injector',
  'linkerd-sp-validator',
];

function requireSecrets(ctx: PlanContext) {
  if (!ctx.secrets) {
    throw new Error(
      'Linkerd identity keys must stay out of the plan, and this caller keeps no plan secrets (PlanContext.secrets)',
    );
  }
  return ctx.secrets;
}

/** The trust anchors the cluster's Linkerd trusts now (the trust-roots ConfigMap), if any. */
async function liveTrustAnchors(ctx: PlanContext): Promise<string | undefined> {
  const maps = await ctx.cluster.list(kubeResources.configMaps, {
    namespace: CONVENTIONAL_NAMESPACE,
  });
  const roots = maps.find(m => m.metadata.name === TRUST_ROOTS_CONFIG_MAP) as
    | (KubeObject & { data?: Record<string, string> })
    | undefined;
  const pem = roots?.data?.['ca-bundle.crt'];
  return pem ? pem : undefined;
}

/**
 * The identity for a control plane: the trust anchors already on the cluster (an upgrade keeps
 * them, so proxies keep trusting each other), or a new trust anchor and issuer whose Secrets
 * come first in the plan, private keys `<redacted>`.
 */
async function identityFor(
  ctx: PlanContext,
): Promise<{ trustAnchorsPEM: string; secrets: PlanObject[] }> {
  const existing = await liveTrustAnchors(ctx);
  if (existing) return { trustAnchorsPEM: existing, secrets: [] };
  const vault = requireSecrets(ctx);
  const now = ctx.now ? new Date(ctx.now) : new Date();
  const anchor = await createTrustAnchor({ now });
  const issuer = await createIssuer(anchor, { now });
  return {
    trustAnchorsPEM: anchor.certPEM,
    secrets: [
      trustAnchorSecret(anchor, vault),
      issuerSecret(issuer, anchor.certPEM, vault),
    ],
  };
}

/** The control plane's objects with the identity Secrets right after the namespace. */
function withIdentity(objects: PlanObject[], secrets: PlanObject[]) {
  return [objects[0], ...secrets, ...objects.slice(1)];
}

const namespaceRef = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  name,
});

/** Applies everything, then waits for each control-plane Deployment (identity first, as it starts first). */
function applyAndWait(objects: PlanObject[]): PlanStep[] {
  return [
    ...objects.map(applyStep),
    ...LINKERD_DEPLOYMENT_ORDER.map(name =>
      waitStep(deploymentRef(name, CONVENTIONAL_NAMESPACE), 'Available'),
    ),
  ];
}

function installedVersion(detection: MeshDetection): string | undefined {
  return detection.installed
    ? detection.versions[detection.versions.length - 1]
    : undefined;
}

/** Restarts the Deployments of every namespace that runs Linkerd proxies, so they get the new proxy. */
async function dataPlaneRestart(
  ctx: PlanContext,
  version: string,
): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  const meshed = ctx.detection.namespaces.filter(
    n =>
      (n.injectionEnabled || n.meshedPods > 0) &&
      n.name !== CONVENTIONAL_NAMESPACE,
  );
  for (const ns of meshed) {
    const deployments = await ctx.cluster.list<KubeDeployment>(
      kubeResources.deployments,
      { namespace: ns.name },
    );
    steps.push(
      ...restartDeploymentSteps(
        deployments,
        ctx.now ?? new Date().toISOString(),
        `restart for Linkerd ${version} proxies`,
      ),
    );
  }
  return steps;
}

// ---------------------------------------------------------------- vendor charts

/** Helm releases of Linkerd's charts (as Linkerd's docs name them). */
export const LINKERD_RELEASES = ['linkerd-crds', 'linkerd-control-plane'];

/**
 * Linkerd's charts set no release labels: every object they render carries the control plane's
 * namespace label, which is how upgrades find the old release's objects.
 */
export const LINKERD_CHART_SELECTOR = `linkerd.io/control-plane-ns=${CONVENTIONAL_NAMESPACE}`;

const PRIVATE_KEY = /key/i;

/**
 * Moves the private values of Secrets a chart rendered (the webhooks' serving keys, which the
 * chart generates) into `ctx.secrets`, leaving `<redacted>` in the plan.
 */
function redactRenderedSecrets(
  objects: PlanObject[],
  ctx: PlanContext,
): PlanObject[] {
  return objects.map(o => {
    const secret = o as PlanObject & {
      data?: Record<string, string>;
      stringData?: Record<string, string>;
    };
    if (o.kind !== 'Secret' || (!secret.data && !secret.stringData)) return o;
    const vault = requireSecrets(ctx);
    const data: Record<string, string> = { ...secret.data };
    for (const [k, v] of Object.entries(secret.stringData ?? {})) {
      data[k] = Buffer.from(v, 'utf8').toString('base64');
    }
    const ref = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      namespace: o.metadata.namespace,
    };
    for (const [k, v] of Object.entries(data)) {
      if (!PRIVATE_KEY.test(k) || v === REDACTED) continue;
      vault.put(ref, k, v);
      data[k] = REDACTED;
    }
    const { stringData: _dropped, ...rest } = secret;
    return { ...rest, data };
  });
}

/**
 * The control plane's objects: from Linkerd's charts (`linkerd-crds`, then
 * `linkerd-control-plane`, namespace `linkerd`) when the backend renders this version with helm,
 * else from the built-in renderer. With the charts, MeshStage's identity goes in as values: the
 * trust anchors (`identityTrustAnchorsPEM`, public) and an external CA whose issuer is the
 * `kubernetes.io/tls` Secret MeshStage plans itself (`identity.externalCA`,
 * `identity.issuer.scheme`), so the issuer's private key never passes through helm or the plan.
 * The Namespace and the trust-roots ConfigMap, which the chart expects to exist with an external
 * CA, come first.
 */
async function controlPlaneObjects(
  ctx: PlanContext,
  options: {
    version: string;
    profile?: string;
    values?: Record<string, unknown>;
    trustAnchorsPEM: string;
  },
  // Objects only deleted (an uninstall) need no redaction: delete steps carry references.
  { redact = true }: { redact?: boolean } = {},
): Promise<PlanObject[]> {
  const vendor = ctx.vendorManifests;
  if (!vendor?.rendersVersion(options.version)) {
    const objects = renderLinkerdControlPlane(options);
    // The webhooks' serving certificates, which the chart would make (objects only deleted
    // need none).
    return redact
      ? withServingCertificates(objects, requireSecrets(ctx), {
          now: ctx.now ? new Date(ctx.now) : undefined,
        })
      : objects;
  }
  if (options.profile && options.profile !== 'default') {
    throw new Error(
      `Linkerd profile '${options.profile}' is not rendered from the charts; use the default profile and values`,
    );
  }
  const crds = await vendor.render({
    version: options.version,
    chart: 'linkerd-crds',
    release: LINKERD_RELEASES[0],
    namespace: CONVENTIONAL_NAMESPACE,
    values: {},
  });
  const controlPlane = await vendor.render({
    version: options.version,
    chart: 'linkerd-control-plane',
    release: LINKERD_RELEASES[1],
    namespace: CONVENTIONAL_NAMESPACE,
    values: [
      {
        identityTrustAnchorsPEM: options.trustAnchorsPEM,
        identity: {
          externalCA: true,
          issuer: { scheme: 'kubernetes.io/tls' },
        },
      },
      options.values ?? {},
    ],
  });
  return [
    linkerdNamespace(),
    trustRootsConfigMap(options.trustAnchorsPEM),
    ...crds,
    ...(redact ? redactRenderedSecrets(controlPlane, ctx) : controlPlane),
  ];
}

/** Whether a recorded object without Linkerd's labels belongs to its control plane. */
function recordedLinkerdObject(o: KubeObject): boolean {
  return o.metadata.namespace
    ? o.metadata.namespace === CONVENTIONAL_NAMESPACE
    : o.metadata.name.includes('linkerd');
}

/**
 * An uninstall through the charts service: the installed version's objects when the planner can
 * render them (Linkerd's charts when the backend has the version, else the built-in renderer
 * when it knows it), MeshStage's identity Secrets, and through `pruneSteps` with no next objects
 * what earlier operations recorded and every live object labelled
 * `linkerd.io/control-plane-ns=linkerd`; the CRDs after everything else, the namespace last.
 */
async function uninstallSteps(
  ctx: PlanContext,
  version: string,
  builtinVersions: readonly string[],
  identitySecrets: PlanObject[],
): Promise<PlanStep[]> {
  let known: PlanObject[] = [];
  if (ctx.vendorManifests?.rendersVersion(version)) {
    known = await controlPlaneObjects(
      ctx,
      {
        version,
        trustAnchorsPEM: (await liveTrustAnchors(ctx)) ?? '',
      },
      { redact: false },
    );
  } else if (builtinVersions.includes(version)) {
    known = renderLinkerdControlPlane({ version });
  }
  const steps = await ctx.vendorManifests!.pruneSteps({
    next: [],
    releases: LINKERD_RELEASES,
    labelSelector: LINKERD_CHART_SELECTOR,
    installed: [...known, ...identitySecrets].filter(
      o => o.kind !== 'Namespace',
    ),
    recorded: recordedLinkerdObject,
    deleteCustomResourceDefinitions: true,
  });
  steps.push(deleteStep(namespaceRef(CONVENTIONAL_NAMESPACE)));
  return steps;
}

/**
 * The versions the planner accepts: with the charts service, what it lists (the chart
 * repositories' versions, and the built-in ones it offers), else the built-in ones.
 */
function supportedOf(
  ctx: PlanContext,
  builtin: readonly string[],
): readonly string[] {
  return ctx.vendorManifests
    ? ctx.vendorManifests.versions().map(v => v.version)
    : builtin;
}

function requireSupported(version: string, supported: readonly string[]) {
  if (!supported.includes(version)) {
    throw new Error(
      `Linkerd ${version} is not supported; supported versions: ${supported.join(
        ', ',
      )}`,
    );
  }
}

/**
 * Plans a Linkerd lifecycle request. Linkerd has no revisions, so upgrades are in place (new
 * control plane, then a data-plane restart) and a rollback is an in-place move back to the
 * version recorded before the operation (`ctx.previousDetection`).
 */
export async function planLinkerd(
  request: LifecycleRequest,
  ctx: PlanContext,
  builtinVersions: readonly string[],
): Promise<Plan> {
  const supportedVersions = supportedOf(ctx, builtinVersions);
  const current = installedVersion(ctx.detection);
  switch (request.action) {
    case 'install': {
      requireSupported(request.version, supportedVersions);
      if (current)
        throw new Error(
          `Linkerd ${current} is already installed on ${request.cluster}; upgrade it instead`,
        );
      if (request.revision)
        throw new Error(
          'Linkerd has no control-plane revisions; install without a revision',
        );
      if (request.revisionTags?.length)
        throw new Error('Linkerd has no revision tags; install without them');
      const identity = await identityFor(ctx);
      return {
        request,
        summary: `Install Linkerd ${request.version} on ${request.cluster}`,
        steps: applyAndWait(
          withIdentity(
            await controlPlaneObjects(ctx, {
              version: request.version,
              profile: request.profile,
              values: request.values,
              trustAnchorsPEM: identity.trustAnchorsPEM,
            }),
            identity.secrets,
          ),
        ),
      };
    }
    case 'uninstall': {
      if (!current)
        throw new Error(`Linkerd is not installed on ${request.cluster}`);
      // Webhook first so no pod is sent to an injector that is going away; the identity Secrets
      // go with the control plane, before its namespace.
      const secretObject = (name: string): PlanObject => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: CONVENTIONAL_NAMESPACE },
      });
      const identitySecrets = [
        secretObject(TRUST_ANCHOR_SECRET),
        secretObject(ISSUER_SECRET),
        // The built-in renderer's webhook serving certificates.
        ...WEBHOOK_SERVICES.map(s => secretObject(servingSecretName(s))),
      ];
      if (ctx.vendorManifests) {
        return {
          request,
          summary: `Uninstall Linkerd ${current} from ${request.cluster}`,
          steps: await uninstallSteps(
            ctx,
            current,
            builtinVersions,
            identitySecrets,
          ),
        };
      }
      const objects = withIdentity(
        renderLinkerdControlPlane({ version: current }),
        identitySecrets,
      );
      return {
        request,
        summary: `Uninstall Linkerd ${current} from ${request.cluster}`,
        // Render order puts the namespace and CRDs first, so the reverse removes them last.
        steps: [...objects].reverse().map(deleteStep),
      };
    }
    case 'onboard':
    case 'offboard': {
      if (request.action === 'onboard' && !current) {
        throw new Error(
          `Linkerd is not installed on ${request.cluster}; install it before onboarding ${request.namespace}`,
        );
      }
      const onboard = request.action === 'onboard';
      const deployments = await ctx.cluster.list<KubeDeployment>(
        kubeResources.deployments,
        { namespace: request.namespace },
      );
      return {
        request,
        summary: `${onboard ? 'Onboard' : 'Offboard'} namespace ${
          request.namespace
        } ${onboard ? 'to' : 'from'} Linkerd on ${request.cluster}`,
        steps: [
          patchStep(
            namespaceRef(request.namespace),
            {
              metadata: {
                annotations: {
                  [INJECT_ANNOTATION]: onboard ? 'enabled' : null,
                },
              },
            },
            onboard ? 'enable proxy injection' : 'disable proxy injection',
          ),
          ...restartDeploymentSteps(
            deployments,
            ctx.now ?? new Date().toISOString(),
            onboard
              ? 'restart so pods get the proxy'
              : 'restart so pods lose the proxy',
          ),
        ],
      };
    }
    case 'upgrade':
    case 'rollback': {
      let target: string;
      if (request.action === 'upgrade') {
        requireSupported(request.toVersion, supportedVersions);
        if (request.strategy === 'canary') {
          throw new Error(
            'Linkerd has no control-plane revisions, so no canary upgrade; use strategy in-place',
          );
        }
        target = request.toVersion;
      } else {
        const previous =
          ctx.previousDetection && installedVersion(ctx.previousDetection);
        if (!previous)
          throw new Error(
            `Nothing to roll back for Linkerd on ${request.cluster}: no earlier version is recorded`,
          );
        target = previous;
      }
      if (!current)
        throw new Error(
          `Linkerd is not installed on ${request.cluster}; install it first`,
        );
      if (target === current)
        throw new Error(
          `Linkerd ${current} already runs on ${request.cluster}`,
        );
      const identity = await identityFor(ctx);
      const objects = withIdentity(
        await controlPlaneObjects(ctx, {
          version: target,
          trustAnchorsPEM: identity.trustAnchorsPEM,
        }),
        identity.secrets,
      );
      // With the charts: what the old release held that the new one no longer renders (by the
      // control-plane label Linkerd's charts set). MeshStage's identity Secrets are kept.
      const prune =
        ctx.vendorManifests && ctx.vendorManifests.rendersVersion(target)
          ? await ctx.vendorManifests.pruneSteps({
              next: [
                ...objects,
                {
                  apiVersion: 'v1',
                  kind: 'Secret',
                  metadata: {
                    name: ISSUER_SECRET,
                    namespace: CONVENTIONAL_NAMESPACE,
                  },
                },
                {
                  apiVersion: 'v1',
                  kind: 'Secret',
                  metadata: {
                    name: TRUST_ANCHOR_SECRET,
                    namespace: CONVENTIONAL_NAMESPACE,
                  },
                },
              ],
              releases: LINKERD_RELEASES,
              labelSelector: LINKERD_CHART_SELECTOR,
            })
          : [];
      return {
        request,
        summary: `${
          request.action === 'upgrade' ? 'Upgrade' : 'Roll back'
        } Linkerd ${current} → ${target} on ${request.cluster}`,
        steps: [
          ...applyAndWait(objects),
          ...prune,
          ...(await dataPlaneRestart(ctx, target)),
        ],
      };
    }
    case 'rotate-issuer': {
      if (!current)
        throw new Error(`Linkerd is not installed on ${request.cluster}`);
      const vault = requireSecrets(ctx);
      const secrets = await ctx.cluster.list(SECRETS, {
        namespace: CONVENTIONAL_NAMESPACE,
      });
      const anchorSecret = secrets.find(
        s => s.metadata.name === TRUST_ANCHOR_SECRET,
      ) as (KubeObject & { data?: Record<string, string> }) | undefined;
      const anchorCert = secretValue(anchorSecret, 'tls.crt');
      const anchorKey = secretValue(anchorSecret, 'tls.key');
      if (!anchorCert || !anchorKey) {
        throw new Error(
          `The trust anchor's key is not in Secret ${CONVENTIONAL_NAMESPACE}/${TRUST_ANCHOR_SECRET} on ${request.cluster}: MeshStage rotates only issuers it can sign (install Linkerd with MeshStage, or rotate with the key you hold)`,
        );
      }
      const issuer = await createIssuer(
        { certPEM: anchorCert, keyPEM: anchorKey },
        { now: ctx.now ? new Date(ctx.now) : new Date() },
      );
      return {
        request,
        summary: `Rotate Linkerd's identity issuer on ${request.cluster}`,
        steps: [
          applyStep(issuerSecret(issuer, anchorCert, vault)),
          // The identity controller watches its issuer Secret and reloads it; proxies get
          // certificates from the new issuer as theirs renew (24 h at most).
          waitStep(
            deploymentRef('linkerd-identity', CONVENTIONAL_NAMESPACE),
            'Available',
          ),
        ],
      };
    }
    case 'deploy-sample':
    case 'remove-sample':
      return planSampleApp(request, ctx, {
        apps: linkerdSampleApps,
        meshName: 'Linkerd',
        injection: () => ({ annotations: { [INJECT_ANNOTATION]: 'enabled' } }),
      });
    default:
      throw new Error(
        `Unknown lifecycle action ${(request as { action: string }).action}`,
      );
  }
}
