import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** Examples of `mesh:validate`, shown in the scaffolder's action list (`/create/actions`). */
export const examples: TemplateExample[] = [
  {
    description:
      'Validate the generated Kubernetes and mesh manifests before publishing; fail on errors, write mesh-validation.sarif',
    example: `steps:
  - id: validate
    name: Validate the mesh configuration
    action: mesh:validate
    input:
      paths: [k8s]
`,
  },
  {
    description:
      "Validate against a cluster's live configuration (the files override its objects), fail on warnings too, and suppress one code",
    example: `steps:
  - id: validate
    name: Validate against dev
    action: mesh:validate
    input:
      paths: [k8s, mesh/virtual-service.yaml]
      cluster: dev
      failOn: warning
      suppress: ['MS0105=Service/shop/*']
      sarifPath: reports/mesh.sarif
`,
  },
];
