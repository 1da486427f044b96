import type {
  MeshMtlsMode,
  MeshMtlsStatus,
} from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { ROOT_NAMESPACE } from './constants';

const MODES: readonly string[] = ['STRICT', 'PERMISSIVE', 'DISABLE'];

interface PeerAuthenticationSpec {
  selector?: { matchLabels?: Record<string, string> };
  mtls?: { mode?: string };
}

/** The mode a PeerAuthentication sets; `UNSET` or no mode inherits, so it sets nothing. */
function modeOf(pa: KubeObject): MeshMtlsMode | undefined {
  const mode = (pa.spec as PeerAuthenticationSpec | undefined)?.mtls?.mode;
  return mode && MODES.includes(mode) ? (mode as MeshMtlsMode) : undefined;
}

/** Namespace- or mesh-wide: a PeerAuthentication without a workload selector. */
function isPolicyWide(pa: KubeObject): boolean {
  const labels = (pa.spec as PeerAuthenticationSpec | undefined)?.selector
    ?.matchLabels;
  return !labels || Object.keys(labels).length === 0;
}

// Istio applies the oldest policy when several compete at one level, as the analyzer does.
const byAge = (a: KubeObject, b: KubeObject) =>
  String(a.metadata.creationTimestamp ?? '').localeCompare(
    String(b.metadata.creationTimestamp ?? ''),
  ) || a.metadata.name.localeCompare(b.metadata.name);

/**
 * Istio's mutual TLS as its PeerAuthentications set it: the mesh-wide mode is the selector-less
 * policy in the root namespace (`istio-system`), `PERMISSIVE` when there is none (Istio's default);
 * namespace overrides are the selector-less policies of other namespaces. Workload-level policies
 * (with a selector) are per-pod detail the validator reports, not a namespace mode.
 */
export function istioMtls(peerAuthentications: KubeObject[]): {
  mesh: MeshMtlsStatus;
  namespaces: Map<string, MeshMtlsMode>;
} {
  const wide = peerAuthentications.filter(isPolicyWide).sort(byAge);
  const root = wide.find(
    pa => pa.metadata.namespace === ROOT_NAMESPACE && modeOf(pa),
  );
  const mesh: MeshMtlsStatus = root
    ? {
        mode: modeOf(root)!,
        source: `PeerAuthentication ${ROOT_NAMESPACE}/${root.metadata.name}`,
      }
    : {
        mode: 'PERMISSIVE',
        source: `Istio default (no mesh-wide PeerAuthentication in ${ROOT_NAMESPACE})`,
      };
  const namespaces = new Map<string, MeshMtlsMode>();
  for (const pa of wide) {
    const ns = pa.metadata.namespace;
    const mode = modeOf(pa);
    if (ns && ns !== ROOT_NAMESPACE && mode && !namespaces.has(ns)) {
      namespaces.set(ns, mode);
    }
  }
  return { mesh, namespaces };
}
