import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type {
  BenchmarkComparison,
  BenchmarkResultResponse,
  BenchmarkRunEvent,
} from '@meshstage/plugin-mesh-common';
import { ResponseError } from '@backstage/errors';
import {
  profile,
  latency,
  environment,
  run,
  histogram,
  api,
  render,
  clickWhenEnabled,
} from './__testUtils__/performanceFixtures';

describe('EntityPerformanceContent', () => {
  it('shows progress while loading', async () => {
    await render(api({ listBenchmarkProfiles: () => new Promise(() => {}) }));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it("shows the backend's message when loading fails", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'Not allowed (permission mesh.benchmark.read)',
        },
        request: { method: 'GET', url: '/benchmark/profiles' },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await render(
      api({
        listBenchmarkProfiles: async () => {
          throw error;
        },
      }),
    );
    expect(
      await screen.findAllByText(
        /Not allowed \(permission mesh.benchmark.read\)/,
      ),
    ).not.toHaveLength(0);
  });

  it('says what to do when there is no profile', async () => {
    await render(api({ listBenchmarkProfiles: async () => [] }));
    expect(
      await screen.findByText('No performance profile yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/meshstage.io\/performance-profile/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('button', { name: 'New profile' })[0],
    ).toBeEnabled();
  });

  it("lists the entity's and global profiles, not other entities'", async () => {
    await render(
      api({
        listBenchmarkProfiles: async () => [
          profile,
          { ...profile, id: 'p2', name: 'global one', entityRef: undefined },
          {
            ...profile,
            id: 'p3',
            name: 'someone else',
            entityRef: 'component:default/other',
          },
        ],
      }),
    );
    expect(await screen.findByText('echo in-cluster')).toBeInTheDocument();
    expect(screen.getByText('global one')).toBeInTheDocument();
    expect(screen.queryByText('someone else')).not.toBeInTheDocument();
    expect(screen.getAllByText(/in-cluster: dev\/echo, 2 pods/)).toHaveLength(
      2,
    );
    expect(
      screen.getByRole('button', { name: 'Run echo in-cluster' }),
    ).toBeEnabled();
  });

  it('creates a profile for the sample echo target and shows the backend 400 next to the form', async () => {
    const created: unknown[] = [];
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'InputError',
          message: "Invalid body field 'connections': at most 64 connections",
        },
        request: { method: 'POST', url: '/benchmark/profiles' },
        response: { statusCode: 400 },
      }),
      {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await render(
      api({
        listBenchmarkProfiles: async () => [],
        createBenchmarkProfile: async p => {
          created.push(p);
          throw error;
        },
      }),
    );
    await clickWhenEnabled('New profile');
    const dialog = await screen.findByRole('dialog', {
      name: 'New performance profile',
    });
    expect(within(dialog).getByLabelText(/Endpoint 1 URL/)).toHaveAttribute(
      'placeholder',
      'http://echo.echo.svc.cluster.local:8080/',
    );
    fireEvent.click(
      within(dialog).getByRole('button', {
        name: 'Use the sample echo target',
      }),
    );
    fireEvent.change(within(dialog).getByLabelText(/Connections/), {
      target: { value: '100' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Create profile' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Invalid body field 'connections': at most 64 connections",
    );
    expect(
      within(dialog).getByText('at most 64 connections'),
    ).toBeInTheDocument();
    expect(created[0]).toMatchObject({
      name: 'echo',
      connections: 100,
      endpoints: [{ url: 'http://echo.echo.svc.cluster.local:8080/' }],
      inCluster: { cluster: 'dev', namespace: 'echo' },
      entityRef: 'component:default/echo',
    });
  });

  it('starts a run and renders its progress from the event stream', async () => {
    const started: unknown[] = [];
    const running = run('r-live', {
      state: 'running',
      result: undefined,
      profile: { ...profile, inCluster: undefined },
    });
    const events: BenchmarkRunEvent[] = [
      { type: 'state', run: running },
      {
        type: 'progress',
        progress: {
          second: 0,
          warmingUp: false,
          requests: 1200,
          errors: 0,
          completed: 1200,
          failed: 0,
          ratePerSecond: 1200,
          latencyMs: { p50: 1.5, p99: 9.5, max: 20 },
        },
      },
      {
        type: 'progress',
        progress: {
          second: 1,
          warmingUp: false,
          requests: 1300,
          errors: 2,
          completed: 2500,
          failed: 2,
          ratePerSecond: 1250,
          latencyMs: { p50: 1.6, p99: 9.9, max: 21 },
        },
      },
    ];
    await render(
      api({
        startBenchmarkRun: async r => {
          started.push(r);
          return running;
        },
        streamBenchmarkRunEvents: async (_id, onEvent, signal) => {
          events.forEach(onEvent);
          await new Promise(resolve =>
            signal?.addEventListener('abort', resolve),
          );
        },
      }),
    );
    await clickWhenEnabled('Run echo in-cluster');
    const progress = await screen.findByTestId('run-progress');
    expect(started[0]).toEqual({ profileId: 'p1', mesh: 'linkerd' });
    await waitFor(() =>
      expect(within(progress).getByText('running')).toBeInTheDocument(),
    );
    expect(
      within(progress).getByText(/2500 requests, 1250 req\/s so far, 2 failed/),
    ).toBeInTheDocument();
    const table = within(progress).getByRole('table', {
      name: 'Progress per second',
    });
    expect(within(table).getByText('1300')).toBeInTheDocument();
    expect(within(table).getByText('9.900 ms')).toBeInTheDocument();
    expect(
      within(progress).getByRole('button', { name: 'Cancel run' }),
    ).toBeEnabled();
  });

  it('offers Run again once the live run has ended, with its panel still open', async () => {
    const running = run('r-done', { state: 'running', result: undefined });
    let finish: () => void = () => {};
    await render(
      api({
        startBenchmarkRun: async () => running,
        streamBenchmarkRunEvents: async (_id, onEvent) => {
          onEvent({ type: 'state', run: running });
          await new Promise<void>(resolve => {
            finish = resolve;
          });
          onEvent({
            type: 'state',
            run: { ...running, state: 'failed', error: 'target refused' },
          });
        },
      }),
    );
    await clickWhenEnabled('Run echo in-cluster');
    const progress = await screen.findByTestId('run-progress');
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Run echo in-cluster' }),
      ).toBeDisabled(),
    );
    finish();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Run echo in-cluster' }),
      ).toBeEnabled(),
    );
    expect(progress).toBeInTheDocument();
  });

  it('shows a result with the percentile table, distribution, status codes and exports', async () => {
    const exports: string[] = [];
    const result: BenchmarkResultResponse = {
      runId: 'r1',
      run: run('r1'),
      environment,
      createdAt: '2026-12-01T10:00:03Z',
      result: {
        kind: 'meshperf-result',
        version: 1,
        source: 'meshperf',
        startTime: '2026-12-01T10:00:00Z',
        endTime: '2026-12-01T10:00:03Z',
        durationMs: 3000,
        config: {
          targets: [],
          protocol: 'http/1.1',
          mode: 'max',
          requestedRps: 0,
          connections: 4,
          pipelining: 1,
          threads: 1,
          warmupMs: 500,
          timeoutMs: 3000,
          jitter: 0,
        },
        requests: {
          total: 1000,
          ok: 990,
          failed: 10,
          perSecond: 333.33,
          errorRate: 0.01,
        },
        latencyMs: latency,
        statusCodes: { '200': 990, '503': 10 },
        errors: { timeout: 0, reset: 0, refused: 0, other: 0, total: 0 },
        bytes: { sent: 0, received: 0, headers: 0 },
        targetCounts: [1000],
        timeSeries: [],
        histogram: {
          unit: 'us',
          encoding: 'hdr-compressed-base64',
          data: histogram(),
        },
      },
    };
    await render(
      api({
        listBenchmarkRuns: async () => [run('r1')],
        getBenchmarkResult: async () => result,
        exportBenchmarkResult: async (_id, format) => {
          exports.push(format);
          const text = '{}';
          return {
            filename: `benchmark-r1.${format}.json`,
            text,
            blob: new Blob([text]),
          };
        },
      }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'View result of run r1' }),
    );
    const table = await screen.findByTestId('percentile-table');
    expect(within(table).getByText('p99')).toBeInTheDocument();
    expect(within(table).getByText('11.95 ms')).toBeInTheDocument();
    expect(within(table).getByText('p99.99')).toBeInTheDocument();
    expect(screen.getByTestId('latency-distribution')).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Status codes' }),
    ).toHaveTextContent('503');
    expect(screen.getByText(/Simulated mesh proxies/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Export SMP' }));
    await screen.findByText('Downloaded benchmark-r1.smp.json');
    fireEvent.click(screen.getByRole('button', { name: 'Export fortio' }));
    await screen.findByText('Downloaded benchmark-r1.fortio.json');
    expect(exports).toEqual(['smp', 'fortio']);
  });

  it("compares two runs with the difference, the verdict and the backend's caveats", async () => {
    const compared: string[][] = [];
    const comparison: BenchmarkComparison = {
      baseline: 'aaa-1',
      runs: [
        {
          id: 'aaa-1',
          profileName: 'echo',
          state: 'succeeded',
          startTime: '',
          durationMs: 3000,
          requests: 5000,
          requestedRps: 0,
          perSecondThroughput: { seconds: 3, mean: 1666, stddev: 20 },
          environment,
        },
        {
          id: 'bbbb-2',
          profileName: 'echo',
          state: 'succeeded',
          mesh: 'linkerd',
          meshVersion: 'stable-2.14.10',
          startTime: '',
          durationMs: 3000,
          requests: 6000,
          requestedRps: 0,
          perSecondThroughput: { seconds: 3, mean: 2000, stddev: 30 },
          environment,
        },
      ],
      metrics: [
        {
          metric: 'p99',
          unit: 'ms',
          lowerIsBetter: true,
          values: [
            { runId: 'aaa-1', value: 10 },
            {
              runId: 'bbbb-2',
              value: 12.5,
              difference: {
                absolute: 2.5,
                relative: 0.25,
                verdict: 'regressed',
                noise: 0.4,
                reason: 'beyond the 5% floor; 95% intervals apart',
              },
            },
          ],
        },
      ],
      caveats: [
        'The mesh proxies of cluster dev are simulated (runs aaa-1, bbbb-2): no request crossed a sidecar, so differences are not mesh overhead.',
      ],
    };
    await render(
      api({
        listBenchmarkRuns: async () => [
          run('aaa-1'),
          run('bbbb-2', { mesh: 'linkerd', meshVersion: 'stable-2.14.10' }),
        ],
        compareBenchmarkRuns: async ids => {
          compared.push(ids);
          return comparison;
        },
        getBenchmarkResult: async () => {
          throw new Error('not needed');
        },
      }),
    );
    const compare = await screen.findByRole('button', { name: 'Compare' });
    expect(compare).toBeDisabled();
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Select run aaa for comparison' }),
    );
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Select run bbbb for comparison' }),
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Compare' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    const table = await screen.findByTestId('compare-table');
    expect(compared).toEqual([['aaa-1', 'bbbb-2']]);
    expect(
      within(table).getByText(
        '+2.5 ms (+25%): Worse (not attributable to the mesh: see the environment notes)',
      ),
    ).toBeInTheDocument();
    expect(
      within(table).getByText('beyond the 5% floor; 95% intervals apart'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/These differences are not mesh overhead/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/proxies of cluster dev are simulated/),
    ).toBeInTheDocument();
  });
});
