/** A MeshConfig as `--mesh-config` puts it in the snapshot. */
export const meshConfigDoc = (spec: string) => `---
apiVersion: mesh.istio.io/v1alpha1
kind: MeshConfig
metadata: {name: meshconfig, namespace: istio-system}
spec:
${spec
  .split('\n')
  .map(l => `  ${l}`)
  .join('\n')}
`;
