import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderInTestApp } from '@backstage/test-utils';
import type { BenchmarkComparison } from '@meshstage/plugin-mesh-common';
import { ComparisonTable } from './ComparisonPanel';
import { fakeApi, renderPage } from './__testUtils__/fleetFixtures';

describe('MeshPageContent', () => {
  it('shows the grid: installed, not installed and unreachable cells', async () => {
    await renderPage(fakeApi());
    const grid = await screen.findByTestId('fleet-grid');
    const istio = within(grid).getByTestId('fleet-cell-dev-istio');
    expect(istio).toHaveTextContent('installed');
    expect(istio).toHaveTextContent('1.30.3');
    expect(istio).toHaveTextContent('default → 1-30-3');
    expect(istio).toHaveTextContent('3/4 pods meshed (75%)');
    expect(istio).toHaveTextContent('1 outdated proxies');
    expect(istio).toHaveTextContent('mTLS: STRICT');
    expect(istio).toHaveTextContent(/Drifted \(1 modified, 0 missing\)/);
    expect(
      within(istio).getByRole('button', { name: 'Upgrade' }),
    ).toBeEnabled();
    expect(
      within(istio).getByRole('button', { name: 'Rollback' }),
    ).toBeEnabled();
    expect(
      within(istio).getByRole('button', { name: 'Uninstall' }),
    ).toBeEnabled();
    expect(within(istio).queryByRole('button', { name: 'Install' })).toBeNull();

    const linkerd = within(grid).getByTestId('fleet-cell-dev-linkerd');
    expect(linkerd).toHaveTextContent('not installed');
    expect(
      within(linkerd).getByRole('button', { name: 'Install' }),
    ).toBeEnabled();

    expect(within(grid).getByTestId('fleet-row-far')).toHaveTextContent(
      'Unreachable',
    );
    expect(within(grid).getByTestId('fleet-row-far')).toHaveTextContent(
      'connect ECONNREFUSED',
    );
    const far = within(grid).getByTestId('fleet-cell-far-istio');
    expect(within(far).getByRole('button', { name: 'Install' })).toBeDisabled();
    expect(within(grid).getByTestId('fleet-row-dev')).toHaveTextContent(
      '2 error findings',
    );
  });

  it('installs through form, plan, confirmation and the live log', async () => {
    const api = fakeApi();
    await renderPage(api);
    const linkerd = await screen.findByTestId('fleet-cell-dev-linkerd');
    fireEvent.click(within(linkerd).getByRole('button', { name: 'Install' }));

    const form = await screen.findByRole('dialog', {
      name: /Install: Linkerd on dev/,
    });
    // Values are checked here, before any plan.
    fireEvent.change(within(form).getByLabelText(/Values \(YAML\)/), {
      target: { value: 'a: 1\n  b: 2' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Preview plan' }));
    expect(
      await within(form).findByText('Line 2: unexpected indentation'),
    ).toBeInTheDocument();
    expect(api.previewOperation).not.toHaveBeenCalled();
    fireEvent.change(within(form).getByLabelText(/Values \(YAML\)/), {
      target: { value: 'proxy:\n  logLevel: debug' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Preview plan' }));

    const plan = await screen.findByTestId('plan-preview');
    expect(plan).toHaveTextContent('Install Linkerd edge-26.8.3 on dev');
    expect(api.previewOperation).toHaveBeenCalledWith({
      action: 'install',
      cluster: 'dev',
      mesh: 'linkerd',
      version: 'edge-26.8.3',
      values: { proxy: { logLevel: 'debug' } },
    });
    expect(api.createOperation).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));

    const log = await screen.findByTestId('operation-log');
    await waitFor(() => expect(log).toHaveTextContent('Operation succeeded'));
    expect(log).toHaveTextContent('applied Namespace/linkerd');
    expect(api.createOperation).toHaveBeenCalledTimes(1);
  });

  it('asks for the cluster name before an uninstall', async () => {
    const api = fakeApi();
    await renderPage(api);
    const istio = await screen.findByTestId('fleet-cell-dev-istio');
    fireEvent.click(within(istio).getByRole('button', { name: 'Uninstall' }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Preview plan' }),
    );
    await screen.findByTestId('plan-preview');
    const confirm = screen.getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    expect(
      screen.getByText(/Type the cluster name \(dev\)/),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('confirm-cluster-name'), {
      target: { value: 'de' },
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(screen.getByTestId('confirm-cluster-name'), {
      target: { value: 'dev' },
    });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(api.createOperation).toHaveBeenCalledWith({
        action: 'uninstall',
        cluster: 'dev',
        mesh: 'istio',
      }),
    );
  });

  it('filters and pages the operations', async () => {
    const item = (i: number) => ({
      id: `op-${i}`,
      cluster: 'dev',
      mesh: 'istio',
      action: 'install',
      request: {},
      summary: `Operation ${i}`,
      state: 'succeeded',
      createdBy: 'user:default/ann',
      createdAt: '2026-12-01T10:00:00Z',
      updatedAt: '2026-12-01T10:00:00Z',
      run: 1,
      steps: 1,
    });
    const listOperations = jest.fn(async (f: any) =>
      Array.from({ length: Math.min(f.limit, f.offset ? 1 : 21) }, (_, i) =>
        item(i + (f.offset ?? 0)),
      ),
    );
    await renderPage(
      fakeApi({ listOperations } as any),
      AuthorizeResult.ALLOW,
      '/?tab=operations',
    );
    const table = await screen.findByTestId('operations-table');
    expect(within(table).getAllByRole('row')).toHaveLength(21); // header + a page of 20
    expect(listOperations).toHaveBeenLastCalledWith({ limit: 21, offset: 0 });

    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(listOperations).toHaveBeenLastCalledWith({
        limit: 21,
        offset: 20,
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled(),
    );

    fireEvent.mouseDown(screen.getByRole('combobox', { name: /^State/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'interrupted' }));
    await waitFor(() =>
      expect(listOperations).toHaveBeenLastCalledWith({
        state: 'interrupted',
        limit: 21,
        offset: 0,
      }),
    );
    fireEvent.change(screen.getByLabelText('Started by'), {
      target: { value: 'user:default/ann' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(listOperations).toHaveBeenLastCalledWith({
        state: 'interrupted',
        createdBy: 'user:default/ann',
        limit: 21,
        offset: 0,
      }),
    );
  });
});

describe('ComparisonTable', () => {
  it('shows each mesh against the no-mesh baseline with the noise verdicts', async () => {
    const v = (runId: string, value: number, diff?: any) => ({
      runId,
      value,
      ...(diff ? { difference: diff } : {}),
    });
    const comparison: BenchmarkComparison = {
      baseline: 'base-1',
      runs: [
        {
          id: 'base-1',
          profileName: 'echo',
          state: 'succeeded',
          startTime: '',
          durationMs: 1,
          requests: 1,
          requestedRps: 1,
          perSecondThroughput: { seconds: 1, mean: 1, stddev: 0 },
        },
        {
          id: 'istio-1',
          mesh: 'istio',
          meshVersion: '1.30.3',
          profileName: 'echo',
          state: 'succeeded',
          startTime: '',
          durationMs: 1,
          requests: 1,
          requestedRps: 1,
          perSecondThroughput: { seconds: 1, mean: 1, stddev: 0 },
        },
      ],
      metrics: [
        {
          metric: 'p50',
          unit: 'ms',
          lowerIsBetter: true,
          values: [
            v('base-1', 1),
            v('istio-1', 1.5, {
              absolute: 0.5,
              relative: 0.5,
              verdict: 'regressed',
              reason: 'r',
            }),
          ],
        },
        {
          metric: 'p99',
          unit: 'ms',
          lowerIsBetter: true,
          values: [
            v('base-1', 4),
            v('istio-1', 4.1, {
              absolute: 0.1,
              relative: 0.025,
              verdict: 'noise',
              reason: 'r',
            }),
          ],
        },
        {
          metric: 'throughput',
          unit: 'req/s',
          lowerIsBetter: false,
          values: [v('base-1', 100), v('istio-1', 99)],
        },
        {
          metric: 'errorRate',
          unit: 'ratio',
          lowerIsBetter: true,
          values: [v('base-1', 0), v('istio-1', 0)],
        },
      ],
      caveats: ['simulated proxies'],
    };
    await renderInTestApp(<ComparisonTable comparison={comparison} />);
    const table = screen.getByTestId('comparison-table');
    const istio = within(table).getByTestId('comparison-row-istio-1');
    expect(
      within(table).getByTestId('comparison-row-base-1'),
    ).toHaveTextContent('no mesh (baseline)');
    expect(istio).toHaveTextContent('istio 1.30.3');
    expect(istio).toHaveTextContent('1.5 ms');
    expect(istio).toHaveTextContent('p50 +0.5 ms (+50%) (Worse)');
    expect(istio).toHaveTextContent('p99 +0.1 ms (+2.5%) (Within noise)');
    expect(istio).toHaveTextContent('99 req/s');
  });
});
