import type { FindingCodeInfo } from '@meshstage/plugin-mesh-node';

/** Codes the engine itself reports, about input it could not read. @public */
export const ENGINE_CODES = {
  yamlSyntax: {
    code: 'MS0001',
    name: 'YamlSyntaxError',
    severity: 'error',
    summary: 'A document in a file is not valid YAML.',
    help: 'Fix the YAML syntax at the reported line; the rest of the file is still analyzed.',
  },
  notKubernetes: {
    code: 'MS0002',
    name: 'NotAKubernetesObject',
    severity: 'error',
    summary:
      'A YAML document is not a Kubernetes object (it lacks apiVersion, kind or metadata.name).',
    help: 'Give every document `apiVersion`, `kind` and `metadata.name`, or remove it from the files analyzed.',
  },
  analyzerFailed: {
    code: 'MS0003',
    name: 'AnalyzerFailed',
    severity: 'error',
    summary: 'An analyzer crashed on the input; its findings are missing.',
    help: 'Report the message as a bug in MeshStage, with the input that triggers it.',
  },
  clusterSettingsRejected: {
    code: 'MS0004',
    name: 'ClusterMeshSettingsRejected',
    severity: 'error',
    summary:
      "Mesh-wide settings kept in the cluster (Istio's `istio` ConfigMap: `mesh`, `meshNetworks`) hold a value the mesh rejects, so the validation used the mesh's defaults for them.",
    help: 'Fix the field named in the message (the line and column count from the start of the ConfigMap key), as `meshstage validate --mesh-config` would ask of the same document.',
  },
  clusterKindForbidden: {
    code: 'MS0005',
    name: 'ClusterKindNotReadable',
    severity: 'warning',
    summary:
      'The cluster refused to list a kind to the credentials MeshStage uses (HTTP 403), so the checks that read that kind were skipped; everything else was validated.',
    help: "Grant `list` on the kind named in the message to MeshStage's service account (or the kubeconfig user) for complete results, or suppress MS0005 if the role is read-only on purpose.",
  },
} satisfies Record<string, FindingCodeInfo>;
