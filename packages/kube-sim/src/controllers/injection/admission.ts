import { AdmissionPlugin, ObjectApi } from '../../api/object-api';
import { KubeObject, meta, ResourceType } from '../../api/types';
import { ApiError, errors } from '../../server/status';
import { compareStrings } from '../../util/objects';
import {
  defaultInjectors,
  Injector,
  InjectorRegistry,
  WebhookCallError,
} from './injectors';
import {
  AdmissionAttributes,
  AdmissionWebhook,
  decideWebhook,
  SIM_USER,
  webhooksOf,
} from './webhooks';

const MWC_KEY = 'admissionregistration.k8s.io/mutatingwebhookconfigurations';

export interface SidecarInjectionOptions {
  log?: (line: string) => void;
}

/**
 * Mutating admission webhooks, as the API server calls them: on every write,
 * the registered MutatingWebhookConfigurations (in name order, webhooks in
 * list order) are matched against the request (rules, namespaceSelector,
 * objectSelector, matchConditions; see webhooks.ts). A matching webhook whose
 * clientConfig points at a Service of a known injector (the
 * {@link InjectorRegistry}: istiod's `/inject`, Linkerd's proxy injector) gets
 * that injector's simulated mutation, configured from the control plane's own
 * ConfigMaps. If the injector cannot answer (its Service or configuration is
 * missing), the webhook's failurePolicy decides: `Fail` rejects the request
 * with the API server's "failed calling webhook" InternalError, `Ignore` lets
 * it through unchanged. Webhooks of unknown servers (URL clientConfigs,
 * other Services) cannot be called by a simulator and are treated as allowing
 * the request without a patch. `reinvocationPolicy: IfNeeded` webhooks are
 * called once more when a later webhook changed the object.
 *
 * Only the webhooks decide: a control plane seeded without its webhook
 * configuration (an istiod or Linkerd Deployment alone) injects nothing, as on
 * a real cluster.
 */
export class SidecarInjection implements AdmissionPlugin {
  private readonly injectors: InjectorRegistry;
  private readonly log: (line: string) => void;

  constructor(
    injectors: InjectorRegistry = defaultInjectors(),
    options: SidecarInjectionOptions = {},
  ) {
    this.injectors = injectors;
    this.log = options.log ?? (() => {});
  }

  admit(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    api: ObjectApi,
    dryRun: boolean,
    subresource?: string,
  ): void {
    const configs = api.store
      .list(MWC_KEY)
      .sort((a, b) => compareStrings(meta(a).name ?? '', meta(b).name ?? ''));
    if (!configs.length) return;
    const m = meta(obj);
    const nsName = type.namespaced ? m.namespace ?? '' : undefined;
    const ns =
      nsName !== undefined
        ? api.store.get('/namespaces', '', nsName)
        : undefined;
    const attrs: AdmissionAttributes = {
      operation: old ? 'UPDATE' : 'CREATE',
      group: type.group,
      version: type.version,
      kind: type.kind,
      resource: type.plural,
      subresource: subresource ?? '',
      namespaced: type.namespaced,
      namespace: nsName,
      name: m.name,
      object: obj,
      oldObject: old,
      namespaceLabels: ns ? meta(ns).labels ?? {} : undefined,
      dryRun,
      userInfo: SIM_USER,
    };

    let result = obj;
    const calls: {
      webhook: AdmissionWebhook;
      config: string;
      inj: Injector;
    }[] = [];
    for (const config of configs) {
      for (const webhook of webhooksOf(config)) {
        const inj = this.injectors.find(webhook.clientConfig?.service);
        if (!inj) continue;
        calls.push({ webhook, config: meta(config).name ?? '', inj });
      }
    }
    const mutatedBy: string[] = [];
    const call = (c: (typeof calls)[number]): void => {
      const d = decideWebhook(c.webhook, { ...attrs, object: result });
      if ('error' in d) throw errors.internal(d.error);
      if (!d.call) return;
      const sideEffects = c.webhook.sideEffects ?? 'Unknown';
      if (dryRun && sideEffects !== 'None' && sideEffects !== 'NoneOnDryRun')
        throw new ApiError(
          400,
          'BadRequest',
          `admission webhook "${c.webhook.name}" does not support dry run`,
        );
      try {
        const out = c.inj.mutate(result, {
          webhook: c.webhook,
          configuration: c.config,
          service: c.webhook.clientConfig!.service!,
          attrs: { ...attrs, object: result },
          api,
        });
        if (out && out !== result) {
          result = out;
          mutatedBy.push(c.webhook.name);
          this.log(
            `admission: webhook ${c.config}/${c.webhook.name} (${
              c.inj.id
            }) mutated ${type.plural} ${nsName ? `${nsName}/` : ''}${
              m.name ?? m.generateName ?? ''
            }`,
          );
        }
      } catch (e) {
        if (!(e instanceof WebhookCallError)) throw e;
        if ((c.webhook.failurePolicy ?? 'Fail') === 'Ignore') {
          this.log(
            `admission: webhook ${c.webhook.name} failed (ignored): ${e.message}`,
          );
          return;
        }
        throw errors.internal(
          `failed calling webhook "${c.webhook.name}": ${e.message}`,
        );
      }
    };
    for (const c of calls) call(c);
    // reinvocationPolicy IfNeeded: once more when another webhook changed the object
    if (mutatedBy.length) {
      for (const c of calls) {
        if (c.webhook.reinvocationPolicy !== 'IfNeeded') continue;
        if (mutatedBy.every(n => n === c.webhook.name)) continue;
        call(c);
      }
    }

    if (result !== obj) {
      for (const k of Object.keys(obj)) delete obj[k];
      Object.assign(obj, result);
    }
  }
}
