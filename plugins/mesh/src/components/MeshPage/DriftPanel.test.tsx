import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ResponseError } from '@backstage/errors';
import {
  driftedReport,
  fakeApi,
  renderPage,
} from './__testUtils__/fleetFixtures';

const DRIFT = '/?tab=drift';

describe('MeshPageContent drift', () => {
  it('checks now and shows the objects and fields that differ, desired against live', async () => {
    const getDriftReports = jest
      .fn()
      .mockResolvedValueOnce([])
      .mockResolvedValue([driftedReport]);
    const checkDrift = jest.fn(async () => driftedReport);
    await renderPage(
      fakeApi({ getDriftReports, checkDrift } as any),
      AuthorizeResult.ALLOW,
      DRIFT,
    );
    const section = await screen.findByRole('region', {
      name: 'Drift of istio on dev',
    });
    expect(section).toHaveTextContent('Never checked');
    const reconcile = within(section).getByRole('button', {
      name: 'Reconcile',
    });
    expect(reconcile).toBeDisabled();
    expect(reconcile).toHaveAccessibleDescription('Never checked for drift');

    fireEvent.click(within(section).getByRole('button', { name: 'Check now' }));
    await waitFor(() =>
      expect(checkDrift).toHaveBeenCalledWith({
        cluster: 'dev',
        mesh: 'istio',
      }),
    );
    const table = await within(section).findByRole('table', {
      name: 'Differences of istio on dev',
    });
    const rows = within(table).getAllByRole('row');
    // header, two fields of the Deployment, the missing Service; the in-sync Namespace is left out
    expect(rows).toHaveLength(4);
    expect(rows[1]).toHaveTextContent(
      /Deployment.*istio-system\/istiod.*modified.*\/spec\/template\/spec\/containers\/discovery\/image.*docker\.io\/istio\/pilot:1\.30\.3.*docker\.io\/istio\/pilot:evil/,
    );
    expect(rows[2]).toHaveTextContent(/\/spec\/replicas\s*1\s*\(absent\)/);
    expect(rows[3]).toHaveTextContent(/Service.*istio-system\/istiod.*missing/);
    expect(rows[3]).toHaveTextContent('(deleted)');
    expect(table).not.toHaveTextContent('Namespace');
    expect(section).toHaveTextContent(
      `Checked ${new Date(driftedReport.checkedAt).toLocaleString()}`,
    );
    expect(
      within(section).getByRole('button', { name: 'Reconcile' }),
    ).toBeEnabled();
  });

  it('says when a pair is in sync, and shows a failed check', async () => {
    const inSync = {
      ...driftedReport,
      drifted: false,
      objects: driftedReport.objects.map(o => ({
        ...o,
        status: 'in-sync' as const,
        differences: [],
      })),
    };
    const checkDrift = jest.fn(async () => {
      // What MeshClient throws for a 503: the backend's error as the cause.
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ServiceUnavailableError',
              message: "Cluster 'dev' did not answer within 5 s",
            },
            request: { method: 'POST', url: '/api/mesh/drift/check' },
            response: { statusCode: 503 },
          }),
          {
            status: 503,
            statusText: 'Service Unavailable',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      );
    });
    await renderPage(
      fakeApi({
        getDriftReports: jest.fn(async () => [inSync]),
        checkDrift,
      } as any),
      AuthorizeResult.ALLOW,
      DRIFT,
    );
    const section = await screen.findByRole('region', {
      name: 'Drift of istio on dev',
    });
    expect(section).toHaveTextContent('In sync: 3 applied objects match.');
    expect(
      within(section).getByRole('button', { name: 'Reconcile' }),
    ).toHaveAccessibleDescription('No drift found at the last check');

    fireEvent.click(within(section).getByRole('button', { name: 'Check now' }));
    expect(
      await screen.findByText(/Cluster 'dev' did not answer within 5 s/),
    ).toBeInTheDocument();
    expect(
      within(section).getByRole('button', { name: 'Check now' }),
    ).toBeEnabled();
  });

  it('reconciles through the plan of a reconcile operation', async () => {
    const api = fakeApi({
      getDriftReports: jest.fn(async () => [driftedReport]),
      previewOperation: jest.fn(async request => ({
        plan: { request, summary: 'Reconcile istio on dev', steps: [] },
        diff: '# Reconcile istio on dev\n\n## 1. Apply Deployment/istio-system/istiod\n~ Deployment/istio-system/istiod\n~   /spec/template/spec/containers/discovery/image: docker.io/istio/pilot:evil -> docker.io/istio/pilot:1.30.3\n',
      })),
    } as any);
    await renderPage(api, AuthorizeResult.ALLOW, DRIFT);
    const section = await screen.findByRole('region', {
      name: 'Drift of istio on dev',
    });
    fireEvent.click(
      await within(section).findByRole('button', { name: 'Reconcile' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: 'Reconcile drift: Istio on dev',
    });
    const plan = await within(dialog).findByTestId('plan-preview');
    expect(plan).toHaveTextContent('Apply Deployment/istio-system/istiod');
    expect(plan).toHaveTextContent('docker.io/istio/pilot:1.30.3');
    expect(api.previewOperation).toHaveBeenCalledWith({
      action: 'reconcile',
      cluster: 'dev',
      mesh: 'istio',
    });
    expect(api.createOperation).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(api.createOperation).toHaveBeenCalledWith({
        action: 'reconcile',
        cluster: 'dev',
        mesh: 'istio',
      }),
    );
    expect(await within(dialog).findByTestId('operation-log')).toBeTruthy();
  });
});
