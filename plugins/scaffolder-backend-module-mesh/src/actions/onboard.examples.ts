import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** Examples of `mesh:onboard`, shown in the scaffolder's action list (`/create/actions`). */
export const examples: TemplateExample[] = [
  {
    description:
      'Onboard the entity picked in the form to the mesh of its meshstage.io/mesh annotation (its namespace and cluster are found from its pods)',
    example: `steps:
  - id: onboard
    name: Onboard to the mesh
    action: mesh:onboard
    input:
      entityRef: \${{ parameters.entityRef }}
`,
  },
  {
    description:
      'Onboard a namespace of a cluster to Istio, waiting up to 10 minutes',
    example: `steps:
  - id: onboard
    name: Onboard bookinfo to Istio
    action: mesh:onboard
    input:
      namespace: bookinfo
      mesh: istio
      cluster: dev
      timeoutSeconds: 600
`,
  },
];
