import {
  classifyPlanDiffLine,
  describeStepCounts,
  parsePlanDiff,
} from './planDiff';

// The shape mesh-node's renderPlanDiff writes (see plugins/mesh-node/src/planDiff.ts).
const DIFF = `# Onboard namespace bookinfo to Istio on dev

## 1. Label namespace bookinfo for injection
~ Namespace/bookinfo (enable sidecar injection)
~   /metadata/labels/istio-injection: "enabled"
-   /metadata/labels/istio.io~1rev

## 2. Apply ConfigMap/bookinfo/settings
+ ConfigMap/bookinfo/settings
+   {
+     "apiVersion": "v1"
+   }

## 3. Apply Deployment/bookinfo/details
= Deployment/bookinfo/details (unchanged)

## 4. Delete Pod/bookinfo/old
- Pod/bookinfo/old

## 5. Wait for Deployment/bookinfo/details to roll out
… wait for Deployment/bookinfo/details RolloutComplete (timeout 300s)
`;

describe('classifyPlanDiffLine', () => {
  it.each([
    ['# Install Istio 1.24.2 on dev', 'summary', false],
    ['## 12. Apply Deployment/istio-system/istiod', 'step', false],
    ['+ Namespace/istio-system', 'add', false],
    ['+   "kind": "Namespace",', 'add', true],
    ['~ Deployment/istio-system/istiod', 'change', false],
    ['~   /spec/replicas: 1 → 2', 'change', true],
    ['- ClusterRole/istiod', 'remove', false],
    ['-   /metadata/labels/istio-injection', 'remove', true],
    ['= Service/istio-system/istiod (unchanged)', 'unchanged', false],
    [
      '… wait for Deployment/istio-system/istiod Available (timeout 300s)',
      'wait',
      false,
    ],
    ['', 'blank', false],
    ['something else', 'text', false],
    ['-not-a-marker', 'text', false],
  ])('%p is %p', (text, kind, detail) => {
    expect(classifyPlanDiffLine(text)).toEqual({ kind, text, detail });
  });
});

describe('parsePlanDiff', () => {
  it('splits the summary and numbered steps with their lines and counts', () => {
    const parsed = parsePlanDiff(DIFF);
    expect(parsed.summary).toBe('Onboard namespace bookinfo to Istio on dev');
    expect(parsed.preamble).toEqual([]);
    expect(parsed.steps.map(s => [s.number, s.title])).toEqual([
      [1, 'Label namespace bookinfo for injection'],
      [2, 'Apply ConfigMap/bookinfo/settings'],
      [3, 'Apply Deployment/bookinfo/details'],
      [4, 'Delete Pod/bookinfo/old'],
      [5, 'Wait for Deployment/bookinfo/details to roll out'],
    ]);
    expect(parsed.steps[0].lines.map(l => [l.kind, l.detail])).toEqual([
      ['change', false],
      ['change', true],
      ['remove', true],
    ]);
    expect(parsed.steps[1].lines).toHaveLength(4);
    // Detail lines are not objects: one new ConfigMap, however long its JSON.
    expect(parsed.steps.map(s => describeStepCounts(s.counts))).toEqual([
      '1 changed',
      '1 new',
      '1 unchanged',
      '1 deleted',
      'wait',
    ]);
  });

  it('keeps lines before the first step and reads CRLF text', () => {
    const parsed = parsePlanDiff('# S\r\nnote\r\n\r\n## 1. Step\r\n+ A/b\r\n');
    expect(parsed.summary).toBe('S');
    expect(parsed.preamble).toEqual([
      { kind: 'text', text: 'note', detail: false },
    ]);
    expect(parsed.steps[0].lines).toEqual([
      { kind: 'add', text: '+ A/b', detail: false },
    ]);
  });

  it('gives no steps for a plan without any', () => {
    expect(parsePlanDiff('# Nothing to do\n')).toEqual({
      summary: 'Nothing to do',
      preamble: [],
      steps: [],
    });
  });
});
