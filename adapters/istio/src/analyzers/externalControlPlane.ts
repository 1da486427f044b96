import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, IstioCode } from './common';

const INVALID: IstioCode = {
  code: 'MS0260',
  name: 'InvalidExternalControlPlaneConfig',
  severity: 'warning',
  summary:
    'An Istio webhook of a remote cluster has neither a URL nor a Service to reach the external control plane (or a URL that does not parse), so injection or validation cannot reach it.',
  help: "Set the webhook's `clientConfig.url` to the external control plane's address (e.g. `https://istiod.example.com:15017/inject/...`).",
  istioCode: 'IST0163',
};
const IP_ADDRESS: IstioCode = {
  code: 'MS0261',
  name: 'ExternalControlPlaneAddressIsNotAHostname',
  severity: 'info',
  summary:
    'An Istio webhook reaches the external control plane by IP address rather than a host name, which is not recommended in production.',
  help: 'Use a DNS name for the external control plane in `clientConfig.url`.',
  istioCode: 'IST0164',
};

/** The host of a URL's authority (no port, no IPv6 brackets), `''` without one; undefined if it does not parse. */
export function urlHost(url: string): string | undefined {
  // Control characters and a scheme-less authority are what Go's url.Parse rejects; it accepts
  // almost anything else, so nothing else is taken as malformed.
  const control = [...url].some(
    c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f,
  );
  if (control || url.startsWith('://')) return undefined;
  const m = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?\/\/([^/?#]*)/.exec(url);
  if (!m) return '';
  const authority = m[1].slice(m[1].lastIndexOf('@') + 1);
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return end < 0 ? undefined : authority.slice(1, end);
  }
  const colon = authority.indexOf(':');
  if (colon < 0) return authority;
  return /^\d*$/.test(authority.slice(colon + 1))
    ? authority.slice(0, colon)
    : undefined;
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIp = (host: string) =>
  IPV4.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host));

/** Istio's webhook configurations: its validators and its sidecar injectors. */
function isIstioWebhookConfiguration(obj: KubeObject): boolean {
  const name = obj.metadata.name;
  return obj.kind === 'ValidatingWebhookConfiguration'
    ? name === 'istiod-default-validator' || name.startsWith('istio-validator')
    : name.startsWith('istio-sidecar-injector');
}

/**
 * MS0260 (IST0163) and MS0261 (IST0164): webhooks of Istio's validating (`istiod-default-validator`,
 * `istio-validator*`) and mutating (`istio-sidecar-injector*`) webhook configurations, as
 * istioctl checks them for an external control plane: neither `clientConfig.url` nor a Service
 * (MS0260), a URL that does not parse (MS0260), or a URL whose host is an IP address (MS0261).
 * @public
 */
export const externalControlPlaneAnalyzer: Analyzer = {
  id: 'istio.external-control-plane',
  description: INVALID.summary,
  inputs: [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
    },
  ],
  codes: [INVALID, IP_ADDRESS],
  analyze(snapshot) {
    const out: Finding[] = [];
    const configurations = [
      ...snapshot.list(
        'admissionregistration.k8s.io/v1',
        'ValidatingWebhookConfiguration',
      ),
      ...snapshot.list(
        'admissionregistration.k8s.io/v1',
        'MutatingWebhookConfiguration',
      ),
    ].filter(isIstioWebhookConfiguration);
    for (const obj of configurations) {
      arr((obj as { webhooks?: unknown }).webhooks).forEach((hook: any, i) => {
        const config = hook?.clientConfig ?? {};
        const path = `/webhooks/${i}/clientConfig`;
        const name = hook?.name ?? `#${i}`;
        if (typeof config.url === 'string') {
          const host = urlHost(config.url);
          if (host === undefined)
            out.push(
              findingFor(
                INVALID,
                obj,
                `${path}/url`,
                `Webhook "${name}" has a URL to the external control plane that does not parse: "${config.url}".`,
              ),
            );
          else if (isIp(host))
            out.push(
              findingFor(
                IP_ADDRESS,
                obj,
                `${path}/url`,
                `Webhook "${name}" reaches the external control plane by IP address (${config.url}); use a host name in production.`,
              ),
            );
        } else if (!config.service) {
          out.push(
            findingFor(
              INVALID,
              obj,
              path,
              `Webhook "${name}" has neither a URL nor a Service to reach the control plane: the URL is blank.`,
            ),
          );
        }
      });
    }
    return out;
  },
};
