import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** Examples of `mesh:install`, shown in the scaffolder's action list (`/create/actions`). */
export const examples: TemplateExample[] = [
  {
    description:
      'Install Istio 1.24.2 with the minimal profile, or upgrade it in place when another version runs',
    example: `steps:
  - id: install
    name: Install or upgrade Istio
    action: mesh:install
    input:
      cluster: dev
      mesh: istio
      version: 1.24.2
      profile: minimal
output:
  text:
    - title: Plan
      content: |
        \`\`\`
        \${{ steps.install.output.plan }}
        \`\`\`
`,
  },
  {
    description:
      'Only show the plan of installing Linkerd with Helm values (JSON) from the form, without running it',
    example: `steps:
  - id: install
    name: Plan the Linkerd install
    action: mesh:install
    input:
      cluster: \${{ parameters.cluster }}
      mesh: linkerd
      version: stable-2.14.10
      values: '{"proxy": {"logLevel": "debug"}}'
      planOnly: true
`,
  },
  {
    description: 'Canary-upgrade Istio (a new revision beside the old one)',
    example: `steps:
  - id: upgrade
    name: Upgrade Istio
    action: mesh:install
    input:
      cluster: dev
      mesh: istio
      version: 1.30.3
      strategy: canary
`,
  },
];
