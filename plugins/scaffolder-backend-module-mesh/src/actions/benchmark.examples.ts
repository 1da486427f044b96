import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** Examples of `mesh:benchmark`, shown in the scaffolder's action list (`/create/actions`). */
export const examples: TemplateExample[] = [
  {
    description:
      'Run a stored performance profile (by id or name) and fail the step when p99 exceeds 250 ms or more than 1% of requests fail',
    example: `steps:
  - id: bench
    name: Benchmark productpage
    action: mesh:benchmark
    input:
      profile: productpage smoke
      mesh: istio
      cluster: dev
      maxP99Ms: 250
      maxErrorRate: 0.01
`,
  },
  {
    description:
      'Run inline settings against the echo sample for 5 s with 4 connections',
    example: `steps:
  - id: bench
    name: Benchmark the echo sample
    action: mesh:benchmark
    input:
      settings:
        name: echo smoke
        endpoints:
          - url: http://echo.echo.svc.cluster.local:8080/
        connections: 4
        duration: 5s
        inCluster:
          cluster: dev
          namespace: echo
`,
  },
  {
    description:
      'Benchmark again after a change and compare with the earlier run (the comparison is Markdown for output.text)',
    example: `steps:
  - id: after
    name: Benchmark after onboarding
    action: mesh:benchmark
    input:
      profile: \${{ parameters.profile }}
      mesh: istio
      compareWith: \${{ steps.before.output.runId }}
output:
  text:
    - title: Before and after
      content: \${{ steps.after.output.comparison }}
`,
  },
];
