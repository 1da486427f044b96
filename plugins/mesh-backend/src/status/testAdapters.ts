import type { MeshAdapter, MeshDetection } from '@meshstage/plugin-mesh-node';

// Minimal adapters for unit tests of the backend's mesh-agnostic logic.
export function fakeAdapter(
  id: string,
  proxyContainerNames: string[],
  detect: MeshAdapter['detect'] = async (): Promise<MeshDetection> => ({
    installed: false,
    versions: [],
    revisions: [],
    components: [],
    namespaces: [],
  }),
): MeshAdapter {
  return {
    id,
    displayName: id.toUpperCase(),
    supportedVersions: () => ['1.0.0'],
    detect,
    injection: {
      proxyContainerNames,
      namespaceEnabled: () => ({ enabled: false }),
    },
  };
}
