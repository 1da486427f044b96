import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ResponseError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityFindings,
  ScanSummary,
  StoredFinding,
} from '@meshstage/plugin-mesh-common';
import { MeshApi, meshApiRef } from '../../api';
import { EntityValidationContent } from './EntityValidationContent';

const reviews: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reviews',
    annotations: { 'backstage.io/kubernetes-id': 'reviews' },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

/** The id of the n-th scan: ids are UUIDs. */
const scanId = (n: number) =>
  `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const scan = (n: number, extra: Partial<ScanSummary> = {}): ScanSummary => ({
  id: scanId(n),
  cluster: 'dev',
  trigger: 'schedule',
  status: 'succeeded',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:02.000Z',
  previousScanId: n > 1 ? scanId(n - 1) : null,
  meshes: ['istio'],
  summary: { error: 0, warning: 0, info: 0, suppressed: 0 },
  new: 0,
  fixed: 0,
  ...extra,
});

const finding = (
  code: string,
  severity: StoredFinding['severity'],
  name: string,
  extra: Partial<StoredFinding> = {},
): StoredFinding => ({
  code,
  severity,
  message: `${code} message on ${name}`,
  resource: {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    namespace: 'bookinfo',
    name,
  },
  path: '/spec/http/0/route/0/destination/host',
  docs: `https://example.com/validation-codes.md#${code.toLowerCase()}`,
  fingerprint: `${code}-${name}`,
  new: false,
  ...extra,
});

const withFindings: EntityFindings = {
  entityRef: 'component:default/reviews',
  clusters: [
    {
      cluster: 'dev',
      scan: scan(2, { new: 1, fixed: 1 }),
      findings: [
        finding('MS0201', 'error', 'reviews', {
          istioCode: 'IST0101',
          new: true,
        }),
        finding('MS0105', 'info', 'reviews-svc', {
          resource: {
            apiVersion: 'v1',
            kind: 'Service',
            namespace: 'bookinfo',
            name: 'reviews',
          },
          path: '/spec/ports/0/name',
        }),
        finding('MS0213', 'warning', 'reviews-muted', {
          suppressed: true,
          suppressedBy: 'annotation',
        }),
      ],
      fixed: [
        {
          code: 'MS0202',
          severity: 'error',
          message: 'Referenced gateway not found: "old-gateway".',
          resource: {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            namespace: 'bookinfo',
            name: 'reviews-old',
          },
          fingerprint: 'f-old',
        },
      ],
    },
  ],
  codes: [
    {
      code: 'MS0201',
      name: 'VirtualServiceHostNotFound',
      severity: 'error',
      summary: 'A VirtualService routes to a host nothing defines.',
      help: 'Create the Service or ServiceEntry, or fix the host.',
      istioCode: 'IST0101',
    },
  ],
};

const neverScanned: EntityFindings = {
  entityRef: 'component:default/reviews',
  clusters: [{ cluster: 'dev', scan: null, findings: [] }],
};

const allClear: EntityFindings = {
  entityRef: 'component:default/reviews',
  clusters: [{ cluster: 'dev', scan: scan(3), findings: [], fixed: [] }],
  codes: [],
};

/** The MS0005 finding of a scan refused the AuthorizationPolicy list (as the engine words it). */
const skippedPolicies: StoredFinding = {
  code: 'MS0005',
  severity: 'warning',
  message:
    'MeshStage may not list AuthorizationPolicy objects (security.istio.io/v1) on this cluster, so the checks that read them (MS0301, MS0302) were skipped: authorizationpolicies.security.istio.io is forbidden',
  docs: 'https://example.com/validation-codes.md#ms0005',
  fingerprint: 'ms0005-authorizationpolicy',
  new: false,
};

const ms0005Doc = {
  code: 'MS0005',
  name: 'ClusterKindNotReadable',
  severity: 'warning' as const,
  summary: 'The cluster refused to list a kind.',
  help: "Grant `list` on the kind named in the message to MeshStage's service account.",
};

/** A scan with nothing open for the entity, that could not read AuthorizationPolicies. */
const clearButSkipped: EntityFindings = {
  entityRef: 'component:default/reviews',
  clusters: [
    {
      cluster: 'dev',
      scan: scan(3, {
        summary: { error: 0, warning: 1, info: 0, suppressed: 0 },
      }),
      findings: [],
      fixed: [],
      skipped: [skippedPolicies],
    },
  ],
  codes: [ms0005Doc],
};

function api(overrides: Partial<MeshApi>): MeshApi {
  const unexpected = async () => {
    throw new Error('unexpected call');
  };
  return {
    getAdapters: async () => [],
    getClusters: async () => [],
    getStatus: async () => [],
    getEntityStatus: unexpected,
    getEntityFindings: unexpected,
    getLatestFindings: unexpected,
    scanCluster: unexpected,
    listScans: unexpected,
    getScan: unexpected,
    ...overrides,
  } as MeshApi;
}

async function render(
  meshApi: MeshApi,
  options: { allow?: boolean; entity?: Entity } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [meshApiRef, meshApi],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              options.allow === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      <EntityProvider entity={options.entity ?? reviews}>
        <EntityValidationContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityValidationContent', () => {
  it('shows progress while loading', async () => {
    await render(
      api({ getEntityFindings: () => new Promise<EntityFindings>(() => {}) }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it("shows the backend's message when the findings cannot be read", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'mesh.validation.read is denied for user:default/guest',
        },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    await render(
      api({
        getEntityFindings: async () => {
          throw error;
        },
      }),
    );
    const messages = await screen.findAllByText(
      /mesh.validation.read is denied for user:default\/guest/,
    );
    expect(messages[0]).toBeInTheDocument();
  });

  it('groups findings by severity and code, with the fix, docs link, new and fixed', async () => {
    await render(api({ getEntityFindings: async () => withFindings }));
    const region = await screen.findByTestId('validation-findings');
    const headings = within(region)
      .getAllByRole('heading', { level: 3 })
      .map(h => h.textContent);
    expect(headings).toEqual([
      'Errors (1)',
      'Info (1)',
      'Fixed since the previous scan (1)',
    ]);

    const rows = within(region).getAllByTestId('validation-finding');
    expect(rows).toHaveLength(2);
    const [error] = rows;
    expect(error).toHaveTextContent('MS0201 (IST0101)');
    expect(error).toHaveTextContent('VirtualService bookinfo/reviews');
    expect(error).toHaveTextContent('on cluster dev');
    expect(error).toHaveTextContent('/spec/http/0/route/0/destination/host');
    expect(error).toHaveTextContent('MS0201 message on reviews');
    expect(within(error).getByText('new')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('MS0105');
    expect(within(rows[1]).queryByText('new')).not.toBeInTheDocument();

    const section = screen.getByRole('region', {
      name: 'MS0201 VirtualServiceHostNotFound',
    });
    expect(section).toHaveTextContent(
      'Fix: Create the Service or ServiceEntry, or fix the host.',
    );
    expect(
      within(section).getByRole('link', { name: /^Documentation of MS0201/ }),
    ).toHaveAttribute('href', 'https://example.com/validation-codes.md#ms0201');

    const fixed = screen.getByTestId('validation-fixed-finding');
    expect(fixed).toHaveTextContent('MS0202');
    expect(fixed).toHaveTextContent('VirtualService bookinfo/reviews-old');
    expect(within(fixed).getByText('fixed')).toBeInTheDocument();

    expect(screen.getByText('1 error')).toBeInTheDocument();
    expect(screen.getByText('1 new')).toBeInTheDocument();
    expect(screen.getByText('1 fixed')).toBeInTheDocument();
  });

  it('shows suppressed findings on request', async () => {
    await render(api({ getEntityFindings: async () => withFindings }));
    const region = await screen.findByTestId('validation-findings');
    expect(within(region).queryByText(/MS0213/)).not.toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Show suppressed findings (1)' }),
    );
    const muted = within(region)
      .getAllByTestId('validation-finding')
      .find(r => r.textContent?.includes('MS0213'));
    expect(muted).toBeDefined();
    expect(
      within(muted!).getByText('suppressed by annotation'),
    ).toBeInTheDocument();
  });

  it('says when nothing was scanned yet, offering "Scan now"', async () => {
    await render(api({ getEntityFindings: async () => neverScanned }));
    expect(
      await screen.findByText('No validation scan yet'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('validation-findings')).toHaveTextContent(
      'No cluster of this entity (dev) has a finished scan',
    );
    expect(screen.getByRole('button', { name: 'Scan now' })).toBeEnabled();
  });

  it('says all clear with the scan time', async () => {
    await render(api({ getEntityFindings: async () => allClear }));
    const region = await screen.findByTestId('validation-findings');
    expect(region).toHaveTextContent(
      /All clear: no open findings for this entity's resources in the latest scan/,
    );
    expect(region.querySelector('time')).toHaveAttribute(
      'datetime',
      '2026-12-01T10:00:02.000Z',
    );
    expect(within(region).queryAllByTestId('validation-finding')).toHaveLength(
      0,
    );
  });

  it('"Scan now" scans the entity\'s clusters and shows the new findings when it finishes', async () => {
    let current = neverScanned;
    const scanCluster = jest.fn(async (cluster: string) => {
      current = withFindings;
      return scan(2, { cluster, trigger: 'manual' });
    });
    const getEntityFindings = jest.fn(async () => current);
    await render(api({ getEntityFindings, scanCluster }));

    fireEvent.click(await screen.findByRole('button', { name: 'Scan now' }));
    expect(scanCluster).toHaveBeenCalledWith('dev');
    const region = await screen.findByTestId('validation-findings');
    await waitFor(() =>
      expect(within(region).getAllByTestId('validation-finding')).toHaveLength(
        2,
      ),
    );
    expect(getEntityFindings).toHaveBeenCalledTimes(2);
    expect(
      screen.queryByText('No validation scan yet'),
    ).not.toBeInTheDocument();
  });

  it('reports a scan that could not read the cluster, or was refused', async () => {
    const scanCluster = jest.fn(async (cluster: string) =>
      scan(4, {
        cluster,
        status: 'failed',
        error: 'connect ECONNREFUSED 127.0.0.1:9',
      }),
    );
    await render(api({ getEntityFindings: async () => allClear, scanCluster }));
    fireEvent.click(await screen.findByRole('button', { name: 'Scan now' }));
    expect(
      await screen.findByText(
        'Scan of dev failed: connect ECONNREFUSED 127.0.0.1:9',
      ),
    ).toBeInTheDocument();
  });

  it('asks for the annotations on an entity without them', async () => {
    const getEntityFindings = jest.fn();
    await render(api({ getEntityFindings }), {
      entity: { ...reviews, metadata: { name: 'website' } },
    });
    const mentions = await screen.findAllByText(/backstage.io\/kubernetes-id/);
    expect(mentions.length).toBeGreaterThan(0);
    expect(getEntityFindings).not.toHaveBeenCalled();
  });

  describe('checks the latest scan could not make', () => {
    const line =
      'The latest scan of dev could not check everything: MeshStage may not list AuthorizationPolicy objects (security.istio.io/v1) on this cluster, so the checks that read them (MS0301, MS0302) were skipped: authorizationpolicies.security.istio.io is forbidden';

    it('warns above the findings, one line per skipped kind, with the fix', async () => {
      const skippedClusterRoles: StoredFinding = {
        ...skippedPolicies,
        message:
          'MeshStage may not list ClusterRole objects (rbac.authorization.k8s.io/v1) on this cluster, so the checks that read them (MS0329) were skipped: forbidden',
        fingerprint: 'ms0005-clusterrole',
      };
      await render(
        api({
          getEntityFindings: async () => ({
            ...withFindings,
            clusters: [
              {
                ...withFindings.clusters[0],
                skipped: [skippedPolicies, skippedClusterRoles],
              },
            ],
            codes: [...withFindings.codes!, ms0005Doc],
          }),
        }),
      );
      const region = await screen.findByTestId('validation-findings');
      const warning = within(region).getByTestId('validation-skipped');
      // A warning, as MUI draws it (its class names carry the theme's prefix).
      expect(warning.className).toMatch(/MuiAlert-standardWarning/);
      expect(warning).toHaveTextContent(line);
      expect(warning).toHaveTextContent(
        'The latest scan of dev could not check everything: MeshStage may not list ClusterRole objects',
      );
      expect(warning).toHaveTextContent(
        "Fix: Grant `list` on the kind named in the message to MeshStage's service account.",
      );
      // Above the findings.
      const [firstFinding] =
        within(region).getAllByTestId('validation-finding');
      expect(
        warning.compareDocumentPosition(firstFinding) &
          Node.DOCUMENT_POSITION_FOLLOWING,
      ).toBeTruthy();
      // The notice is not counted among the entity's findings.
      expect(screen.getByText('0 warnings')).toBeInTheDocument();
    });

    it('says nothing of skipped checks when the scan made them all', async () => {
      await render(api({ getEntityFindings: async () => withFindings }));
      await screen.findByTestId('validation-findings');
      expect(
        screen.queryByTestId('validation-skipped'),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByText(/could not check everything/),
      ).not.toBeInTheDocument();
    });

    it('keeps the warning with no findings, and does not call that all clear', async () => {
      await render(api({ getEntityFindings: async () => clearButSkipped }));
      const region = await screen.findByTestId('validation-findings');
      expect(
        within(region).getByTestId('validation-skipped'),
      ).toHaveTextContent(line);
      expect(region).toHaveTextContent(
        "No open findings for this entity's resources from the checks the latest scan could make",
      );
      expect(region).not.toHaveTextContent(/All clear/);
      expect(
        within(region).queryAllByTestId('validation-finding'),
      ).toHaveLength(0);
    });

    it('still says a suppressed one, as information', async () => {
      await render(
        api({
          getEntityFindings: async () => ({
            ...clearButSkipped,
            clusters: [
              {
                ...clearButSkipped.clusters[0],
                skipped: [
                  {
                    ...skippedPolicies,
                    suppressed: true,
                    suppressedBy: 'config',
                  },
                ],
              },
            ],
          }),
        }),
      );
      const notice = await screen.findByTestId('validation-skipped');
      expect(notice.className).toMatch(/MuiAlert-standardInfo/);
      expect(notice).toHaveTextContent(`${line} (suppressed by config)`);
    });
  });
});
