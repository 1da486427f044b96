import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { ObjectApi } from '../../api/object-api';
import { KubeObject, meta } from '../../api/types';
import { isObject, JsonObject } from '../../util/objects';
import { IstioControlPlane, injectIstio } from './istio';
import { decideLinkerd, injectLinkerd, LinkerdControlPlane } from './linkerd';
import {
  AdmissionAttributes,
  AdmissionWebhook,
  ServiceReference,
  webhookSelectorMatches,
} from './webhooks';

/**
 * The webhook servers kube-sim can stand in for. A MutatingWebhookConfiguration
 * whose clientConfig points at a registered injector's Service gets that
 * injector's simulated mutation; other webhooks are not called (see
 * admission.ts). Later meshes register theirs the same way.
 */

/** A webhook call that did not reach a working server (the API server's "failed calling webhook"). */
export class WebhookCallError extends Error {}

export interface InjectorCall {
  webhook: AdmissionWebhook;
  /** Name of the MutatingWebhookConfiguration. */
  configuration: string;
  service: ServiceReference;
  attrs: AdmissionAttributes;
  api: ObjectApi;
}

export interface Injector {
  /** Short name for logs and tests: `istio`, `linkerd`. */
  id: string;
  /** The Service names it serves (any namespace): exact names or patterns. */
  service: string | RegExp;
  /** Request paths it serves (default: any). */
  path?: RegExp;
  /**
   * Called for a matching webhook: returns the mutated object, or undefined
   * for "allowed, no patch"; throws {@link WebhookCallError} when the server
   * would not answer (its Service or configuration is missing).
   */
  mutate(object: KubeObject, call: InjectorCall): KubeObject | undefined;
}

/** Injectors keyed by the Service their webhooks call. */
export class InjectorRegistry {
  private readonly injectors: Injector[] = [];

  register(injector: Injector): this {
    this.injectors.push(injector);
    return this;
  }

  /** The injector serving a webhook's service reference, if any. */
  find(service: ServiceReference | undefined): Injector | undefined {
    if (!service?.name) return undefined;
    const path = service.path ?? '/';
    return this.injectors.find(
      i =>
        (typeof i.service === 'string'
          ? i.service === service.name
          : i.service.test(service.name)) &&
        (!i.path || i.path.test(path)),
    );
  }

  get ids(): string[] {
    return this.injectors.map(i => i.id);
  }
}

function serviceUrl(s: ServiceReference): string {
  return `https://${s.name}.${s.namespace}.svc:${s.port ?? 443}${s.path ?? ''}`;
}

/** The webhook's Service, or a failed call as the API server reports it. */
function requireService(call: InjectorCall): KubeObject {
  const svc = call.api.store.get(
    '/services',
    call.service.namespace,
    call.service.name,
  );
  if (!svc)
    throw new WebhookCallError(
      `failed to call webhook: Post "${serviceUrl(call.service)}?timeout=${
        call.webhook.timeoutSeconds ?? 10
      }s": service "${call.service.name}" not found`,
    );
  return svc;
}

function configMapData(
  api: ObjectApi,
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  const cm = api.store.get('/configmaps', namespace, name);
  return cm ? ((cm.data ?? {}) as Record<string, string>) : undefined;
}

function isPodCreate(call: InjectorCall): boolean {
  const a = call.attrs;
  return (
    a.group === '' &&
    a.resource === 'pods' &&
    a.subresource === '' &&
    a.operation === 'CREATE'
  );
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;
const obj = (v: unknown): JsonObject => (isObject(v) ? v : {});

// ---------------------------------------------------------------- Istio

/** Namespaces istiod never injects (pkg/kube/inject IgnoredNamespaces). */
const ISTIO_IGNORED_NAMESPACES = new Set(['kube-system', 'kube-public']);

/**
 * The revision an istiod Service belongs to: its selector's `istio.io/rev`
 * (the charts select on it), else from the name (`istiod` → default,
 * `istiod-<rev>` → `<rev>`).
 */
function istioServiceRevision(svc: KubeObject, name: string): string {
  const sel = obj(obj(svc.spec).selector) as Record<string, string>;
  if (sel['istio.io/rev']) return sel['istio.io/rev'];
  return name === 'istiod' ? 'default' : name.replace(/^istiod-/, '');
}

/**
 * The injector's configuration as istiod reads it: ConfigMap
 * `istio-sidecar-injector[-<rev>]` in the Service's namespace, key `values`
 * (JSON: global.hub, global.tag, global.proxy.image, global.proxy_init.image,
 * revision) and key `config` (YAML: policy, alwaysInjectSelector,
 * neverInjectSelector).
 */
export function readIstioInjectorConfig(
  api: ObjectApi,
  namespace: string,
  revision: string,
):
  | {
      plane: IstioControlPlane;
      policy: string;
      alwaysInject: JsonObject[];
      neverInject: JsonObject[];
    }
  | undefined {
  const names =
    revision === 'default'
      ? ['istio-sidecar-injector']
      : [`istio-sidecar-injector-${revision}`];
  let data: Record<string, string> | undefined;
  for (const n of names) {
    data = configMapData(api, namespace, n);
    if (data) break;
  }
  if (!data?.values) return undefined;
  let values: JsonObject;
  try {
    values = obj(JSON.parse(data.values));
  } catch {
    return undefined;
  }
  let config: JsonObject = {};
  try {
    config = obj(data.config ? parseYaml(data.config) : {});
  } catch {
    config = {};
  }
  const global = obj(values.global);
  const hub = str(global.hub) ?? 'docker.io/istio';
  const tag = String(global.tag ?? 'latest');
  // istiod's ProxyImage: a bare name is <hub>/<name>:<tag>, a path is used as is
  const imageOf = (name: string | undefined) => {
    if (!name) return undefined;
    return name.includes('/') ? name : `${hub}/${name}:${tag}`;
  };
  const image = imageOf(str(obj(global.proxy).image) ?? 'proxyv2')!;
  const initImage = imageOf(str(obj(global.proxy_init).image)) ?? image;
  const rev = str(values.revision) ?? 'default';
  return {
    plane: {
      revision: rev,
      namespace,
      hub,
      tag,
      image,
      initImage,
      caAddress:
        str(global.caAddress) ??
        `${
          rev === 'default' ? 'istiod' : `istiod-${rev}`
        }.${namespace}.svc:15012`,
    },
    policy: str(config.policy) ?? 'enabled',
    alwaysInject: Array.isArray(config.alwaysInjectSelector)
      ? config.alwaysInjectSelector.filter(isObject)
      : [],
    neverInject: Array.isArray(config.neverInjectSelector)
      ? config.neverInjectSelector.filter(isObject)
      : [],
  };
}

/**
 * istiod's own decision once its webhook was called (pkg/kube/inject
 * injectRequired): never host-network pods, kube-system/kube-public or pods
 * already injected; the `sidecar.istio.io/inject` label (preferred) or
 * annotation decides when set (y/yes/true/on inject, anything else does
 * not); otherwise the policy, with neverInjectSelector / alwaysInjectSelector.
 */
export function istioInjectRequired(
  pod: KubeObject,
  namespace: string,
  cfg: {
    policy: string;
    alwaysInject: JsonObject[];
    neverInject: JsonObject[];
  },
): boolean {
  const spec = obj(pod.spec);
  const m = meta(pod);
  if (spec.hostNetwork === true) return false;
  if (ISTIO_IGNORED_NAMESPACES.has(namespace)) return false;
  if (m.annotations?.['sidecar.istio.io/status']) return false;
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  if (containers.some(c => isObject(c) && c.name === 'istio-proxy'))
    return false;
  const explicit =
    m.labels?.['sidecar.istio.io/inject'] ??
    m.annotations?.['sidecar.istio.io/inject'];
  if (explicit !== undefined && explicit !== '')
    return ['y', 'yes', 'true', 'on'].includes(explicit.toLowerCase());
  const labels = m.labels ?? {};
  if (cfg.policy === 'disabled')
    return cfg.alwaysInject.some(s => webhookSelectorMatches(s, labels));
  return !cfg.neverInject.some(s => webhookSelectorMatches(s, labels));
}

/** istiod's `/inject` endpoint, for the default revision, any revision and the revision tags pointing at them. */
export const istioInjector: Injector = {
  id: 'istio',
  service: /^istiod(-.+)?$/,
  path: /^\/inject(\/|$|\?)/,
  mutate(pod, call) {
    const svc = requireService(call);
    const revision = istioServiceRevision(svc, call.service.name);
    const cfg = readIstioInjectorConfig(
      call.api,
      call.service.namespace,
      revision,
    );
    if (!cfg)
      throw new WebhookCallError(
        `failed to call webhook: Post "${serviceUrl(
          call.service,
        )}": no endpoints available for service "${
          call.service.name
        }" (istiod has no injector configuration istio-sidecar-injector${
          revision === 'default' ? '' : `-${revision}`
        })`,
      );
    if (!isPodCreate(call)) return undefined;
    if (!istioInjectRequired(pod, call.attrs.namespace ?? '', cfg))
      return undefined;
    return injectIstio(pod, cfg.plane);
  },
};

// ---------------------------------------------------------------- Linkerd

/** Name of the Deployment (or other controller) a pod belongs to, as the injector labels it. */
export function workloadName(pod: KubeObject): string | undefined {
  const ref = (meta(pod).ownerReferences ?? []).find(r => r.controller);
  if (!ref) return undefined;
  if (ref.kind === 'ReplicaSet') return ref.name.replace(/-[a-z0-9]+$/, '');
  return ref.name;
}

/**
 * The control plane's configuration as the injector reads it: ConfigMap
 * `linkerd-config` in its namespace, key `values` (YAML): `linkerdVersion`,
 * `proxy.image.{name,version}` (version defaults to linkerdVersion),
 * `proxyInit.image.{name,version}` (absent in edge releases, whose
 * linkerd-init runs from the proxy image) and `identityTrustAnchorsPEM`.
 */
export function readLinkerdConfig(
  api: ObjectApi,
  namespace: string,
): LinkerdControlPlane | undefined {
  const data = configMapData(api, namespace, 'linkerd-config');
  if (!data?.values) return undefined;
  let values: JsonObject;
  try {
    values = obj(parseYaml(data.values));
  } catch {
    return undefined;
  }
  const proxyImage = obj(obj(values.proxy).image);
  const initImage = obj(obj(values.proxyInit).image);
  const linkerdVersion = str(values.linkerdVersion) ?? str(values.cliVersion);
  const version = str(proxyImage.version) ?? linkerdVersion;
  if (!version) return undefined;
  const proxyName = str(proxyImage.name) ?? 'cr.l5d.io/linkerd/proxy';
  const proxy = `${proxyName}:${version}`;
  const init = str(initImage.name)
    ? `${initImage.name}:${str(initImage.version) ?? version}`
    : proxy;
  const anchors =
    typeof values.identityTrustAnchorsPEM === 'string'
      ? values.identityTrustAnchorsPEM
      : '';
  return {
    namespace,
    version,
    proxyImage: proxy,
    initImage: init,
    injectorVersion: linkerdVersion ?? version,
    trustRootSha256: createHash('sha256').update(anchors).digest('hex'),
  };
}

/** Linkerd's proxy injector (Service `linkerd-proxy-injector`). */
export const linkerdInjector: Injector = {
  id: 'linkerd',
  service: 'linkerd-proxy-injector',
  mutate(pod, call) {
    requireService(call);
    const cp = readLinkerdConfig(call.api, call.service.namespace);
    if (!cp)
      throw new WebhookCallError(
        `failed to call webhook: Post "${serviceUrl(
          call.service,
        )}": no endpoints available for service "${
          call.service.name
        }" (no linkerd-config in ${call.service.namespace})`,
      );
    if (!isPodCreate(call)) return undefined;
    if (obj(pod.spec).hostNetwork === true) return undefined;
    const ns = call.api.store.get(
      '/namespaces',
      '',
      call.attrs.namespace ?? '',
    );
    const containers = Array.isArray(obj(pod.spec).containers)
      ? (obj(pod.spec).containers as unknown[])
      : [];
    const decided = decideLinkerd(
      {
        annotations: meta(pod).annotations ?? {},
        containerNames: containers.filter(isObject).map(c => String(c.name)),
      },
      meta(ns).annotations ?? {},
      [cp],
    );
    if (!decided) return undefined;
    return injectLinkerd(pod, decided, workloadName(pod));
  },
};

/** The registry kube-sim starts with. */
export function defaultInjectors(): InjectorRegistry {
  return new InjectorRegistry()
    .register(istioInjector)
    .register(linkerdInjector);
}
