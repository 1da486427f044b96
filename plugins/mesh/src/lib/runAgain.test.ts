import type { OperationListItem } from '@meshstage/plugin-mesh-common';
import {
  type NamespaceOperation,
  namespaceOperationOf,
  namespaceOperationsOf,
  runAgainVerbs,
  stoppedNamespaceOperations,
} from './runAgain';

const op = (
  id: string,
  over: Partial<NamespaceOperation> = {},
): NamespaceOperation => ({
  id,
  action: 'onboard',
  cluster: 'dev',
  mesh: 'istio',
  namespace: 'bookinfo',
  state: 'failed',
  summary: `operation ${id}`,
  createdAt: '2026-12-02T09:00:00.000Z',
  ...over,
});

const bookinfo = [{ cluster: 'dev', namespace: 'bookinfo' }];

describe('runAgainVerbs', () => {
  it('offers Resume and Revert as the backend accepts them', () => {
    expect(runAgainVerbs('failed')).toEqual(['resume', 'revert']);
    expect(runAgainVerbs('interrupted')).toEqual(['resume', 'revert']);
    expect(runAgainVerbs('revert-failed')).toEqual(['revert']);
    for (const state of [
      'planned',
      'running',
      'succeeded',
      'reverting',
      'reverted',
      undefined,
    ] as const) {
      expect(runAgainVerbs(state)).toEqual([]);
    }
  });
});

describe('stoppedNamespaceOperations', () => {
  it("keeps a namespace's newest operation when it stopped, whatever order the candidates come in", () => {
    const older = op('a', { state: 'succeeded' });
    const newer = op('b', { createdAt: '2026-12-02T10:00:00.000Z' });
    expect(stoppedNamespaceOperations([older, newer], bookinfo)).toEqual([
      newer,
    ]);
  });

  it('drops an older failure that a newer operation of the namespace settled', () => {
    const failed = op('a');
    const succeeded = op('b', {
      state: 'succeeded',
      createdAt: '2026-12-02T10:00:00.000Z',
    });
    const running = op('c', {
      state: 'running',
      createdAt: '2026-12-02T10:00:00.000Z',
    });
    expect(stoppedNamespaceOperations([failed, succeeded], bookinfo)).toEqual(
      [],
    );
    expect(stoppedNamespaceOperations([failed, running], bookinfo)).toEqual([]);
  });

  it("keeps each target's own, and ignores other namespaces and clusters", () => {
    const dev = op('a');
    const prod = op('b', { cluster: 'prod', state: 'interrupted' });
    const ratings = op('c', { namespace: 'ratings' });
    expect(
      stoppedNamespaceOperations(
        [dev, prod, ratings],
        [...bookinfo, { cluster: 'prod', namespace: 'bookinfo' }],
      ),
    ).toEqual([dev, prod]);
  });

  it('lists an operation found twice (the list and the automatic onboarding) once, as the list has it', () => {
    const listed = op('a', { steps: 3, run: 1 });
    const automatic = op('a');
    expect(stoppedNamespaceOperations([listed, automatic], bookinfo)).toEqual([
      listed,
    ]);
  });
});

describe('namespaceOperationsOf', () => {
  it('keeps the onboard and offboard operations of a list, with their namespace', () => {
    const base = {
      cluster: 'dev',
      mesh: 'istio',
      summary: 's',
      state: 'failed',
      createdBy: 'user:default/ann',
      createdAt: '2026-12-02T09:00:00.000Z',
      updatedAt: '2026-12-02T09:00:00.000Z',
      run: 2,
      steps: 4,
    } as const;
    const items: OperationListItem[] = [
      {
        ...base,
        id: 'a',
        action: 'offboard',
        request: {
          action: 'offboard',
          cluster: 'dev',
          mesh: 'istio',
          namespace: 'bookinfo',
        },
        currentStep: 2,
        error: 'boom',
      },
      {
        ...base,
        id: 'b',
        action: 'install',
        request: {
          action: 'install',
          cluster: 'dev',
          mesh: 'istio',
          version: '1.30.3',
        },
      },
    ];
    expect(namespaceOperationsOf(items)).toEqual([
      {
        id: 'a',
        action: 'offboard',
        cluster: 'dev',
        mesh: 'istio',
        namespace: 'bookinfo',
        state: 'failed',
        summary: 's',
        createdAt: '2026-12-02T09:00:00.000Z',
        run: 2,
        steps: 4,
        currentStep: 2,
        error: 'boom',
      },
    ]);
  });

  it("reads the automatic onboarding's operation summary", () => {
    expect(
      namespaceOperationOf({
        id: 'a',
        action: 'onboard',
        cluster: 'dev',
        mesh: 'istio',
        namespace: 'bookinfo',
        state: 'interrupted',
        summary: 's',
        createdAt: '2026-12-02T09:00:00.000Z',
      }),
    ).toEqual(op('a', { state: 'interrupted', summary: 's' }));
  });
});
