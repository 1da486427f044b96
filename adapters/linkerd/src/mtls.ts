import type {
  MeshMtlsMode,
  MeshMtlsStatus,
} from '@meshstage/plugin-mesh-common';
import type { KubeNamespace, KubeObject } from '@meshstage/plugin-mesh-node';
import { annotationOf } from '@meshstage/plugin-mesh-node';
import { CONFIG_MAP, DEFAULT_INBOUND_POLICY_ANNOTATION } from './constants';

/** Linkerd's own default when the values do not set `proxy.defaultInboundPolicy`. */
const LINKERD_DEFAULT_POLICY = 'all-unauthenticated';

/**
 * Linkerd always uses mutual TLS between meshed proxies; what varies is whether a meshed pod still
 * accepts plain-text (unauthenticated) clients, which its default inbound policy decides. The
 * `*-authenticated` policies and `deny` refuse unauthenticated clients, as Istio's STRICT does.
 */
export function mtlsModeOfPolicy(policy: string): MeshMtlsMode | undefined {
  switch (policy) {
    case 'all-authenticated':
    case 'cluster-authenticated':
    case 'deny':
      return 'STRICT';
    case 'all-unauthenticated':
    case 'cluster-unauthenticated':
    case 'audit':
      return 'PERMISSIVE';
    default:
      return undefined;
  }
}

// `linkerd install` writes the values as YAML, our renderer as JSON (valid YAML too). Only one key
// is needed, so it is read without a YAML parser: a `defaultInboundPolicy:` entry anywhere under
// `proxy` in either syntax.
function policyFromValues(values: string | undefined): string | undefined {
  if (!values) return undefined;
  try {
    const parsed = JSON.parse(values) as {
      proxy?: { defaultInboundPolicy?: unknown };
    };
    const policy = parsed.proxy?.defaultInboundPolicy;
    return typeof policy === 'string' ? policy : undefined;
  } catch {
    const match = /^\s*defaultInboundPolicy:\s*["']?([a-z-]+)["']?\s*$/m.exec(
      values,
    );
    return match?.[1];
  }
}

/**
 * The mesh-wide mode from the `linkerd-config` ConfigMap of the control-plane namespace, and the
 * namespace overrides from `config.linkerd.io/default-inbound-policy` annotations.
 */
export function linkerdMtls(
  configMaps: KubeObject[],
  namespaces: KubeNamespace[],
): { mesh: MeshMtlsStatus; namespaces: Map<string, MeshMtlsMode> } {
  const config = configMaps.find(cm => cm.metadata.name === CONFIG_MAP);
  const values = (config?.data as Record<string, string> | undefined)?.values;
  const configured = policyFromValues(values);
  const policy =
    configured && mtlsModeOfPolicy(configured)
      ? configured
      : LINKERD_DEFAULT_POLICY;
  const mesh: MeshMtlsStatus = {
    mode: mtlsModeOfPolicy(policy)!,
    source: configured
      ? `default inbound policy ${policy} (${
          config!.metadata.namespace
        }/${CONFIG_MAP})`
      : `Linkerd default inbound policy ${policy}`,
  };
  const overrides = new Map<string, MeshMtlsMode>();
  for (const ns of namespaces) {
    const value = annotationOf(ns, DEFAULT_INBOUND_POLICY_ANNOTATION);
    const mode = value ? mtlsModeOfPolicy(value) : undefined;
    if (mode) overrides.set(ns.metadata.name, mode);
  }
  return { mesh, namespaces: overrides };
}
