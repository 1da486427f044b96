import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import type { TopologyGraph } from '@meshstage/plugin-mesh-common';
import { stubReactFlowBrowser } from '../TopologyGraph/__testUtils__/reactFlowStubs';
import { defaultLayoutEngine } from '../TopologyGraph';
import {
  bigGraph,
  bookinfoGraph,
  bookinfoWithTraffic,
  edges,
} from '../TopologyGraph/__testUtils__/topologyFixtures';
import {
  productpage,
  renderTopologyTab,
  topologyApi,
} from './__testUtils__/renderTopologyTab';

stubReactFlowBrowser();
// Timeouts: setupTests.ts sets the plugin's generous ceilings (a loaded machine lays out slowly).

const nodeNames = async () =>
  (await screen.findAllByTestId('topology-node')).map(
    b => b.getAttribute('data-node-id')!.split('/').pop()!,
  );

const node = (name: RegExp | string) =>
  screen.getByRole('button', {
    name: typeof name === 'string' ? new RegExp(`^${name},`) : name,
  });

describe('EntityTopologyContent', () => {
  it("draws the entity's neighbours with the routing weights, the entity highlighted", async () => {
    const getTopology = jest.fn(async () => bookinfoGraph());
    const { container } = await renderTopologyTab(topologyApi(getTopology));

    expect((await nodeNames()).sort()).toEqual([
      'details',
      'details-v1',
      'istio-ingressgateway',
      'productpage',
      'productpage-v1',
      'ratings',
      'ratings-v1',
      'reviews',
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    expect(getTopology).toHaveBeenCalledWith(
      { entityRef: 'component:default/productpage' },
      { depth: 1, window: '5m' },
    );
    await waitFor(() =>
      expect(container.querySelectorAll('.react-flow__edge')).toHaveLength(
        Object.keys(edges).length,
      ),
    );
    const labels = screen
      .getAllByTestId('topology-edge-label')
      .map(l => l.textContent);
    expect(labels).toEqual(
      expect.arrayContaining(['v1 50%', 'v2 30%', 'v3 20%']),
    );
    // the entity's nodes are marked, in text too
    expect(node('productpage-v1')).toHaveAccessibleName(
      'productpage-v1, Deployment in bookinfo, Healthy, this entity',
    );
    expect(node('reviews-v3')).toHaveAccessibleName(
      'reviews-v3, Deployment in bookinfo, Degraded',
    );
    expect(
      screen
        .getAllByTestId('topology-node')
        .filter(n => n.dataset.focus === 'true'),
    ).toHaveLength(2);
    // namespaces are groups
    expect(
      screen.getAllByTestId('topology-group').map(g => g.dataset.groupId),
    ).toEqual(['ns:dev/istio-system', 'ns:dev/bookinfo']);
  });

  it('warms the layout engine up while the topology request is still pending', async () => {
    // jsdom has no Worker: the default engine is the in-thread one
    const warmUp = jest.spyOn(defaultLayoutEngine(), 'warmUp');
    let answer: (g: TopologyGraph) => void = () => {};
    const getTopology = jest.fn(
      () => new Promise<TopologyGraph>(resolve => (answer = resolve)),
    );
    await renderTopologyTab(topologyApi(getTopology));
    await waitFor(() => expect(warmUp).toHaveBeenCalledTimes(1));
    expect(getTopology).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('topology-graph')).not.toBeInTheDocument();
    answer(bookinfoGraph());
    expect(await screen.findAllByTestId('topology-node')).toHaveLength(11);
    warmUp.mockRestore();
  });

  it('labels edges with rate, errors and p99 when traffic is known', async () => {
    await renderTopologyTab(topologyApi(async () => bookinfoWithTraffic()));
    await screen.findAllByTestId('topology-node');
    await waitFor(() =>
      expect(
        screen.getAllByTestId('topology-edge-label').map(l => l.textContent),
      ).toContain('12.5 rps · 0.4% err · p99 23 ms'),
    );
    expect(screen.queryByText(/No traffic figures/)).not.toBeInTheDocument();
  });

  it('says when there is no traffic source, and how to add one', async () => {
    await renderTopologyTab(topologyApi(async () => bookinfoGraph()));
    const notices = await screen.findByTestId('topology-notices');
    expect(notices).toHaveTextContent(
      'No traffic figures: no metrics source is configured, so the edges come from routing configuration only. Configuring mesh.metrics.prometheus in app-config adds request rates',
    );
  });

  it('says when the traffic source failed, a cluster could not be read, or the graph was cut', async () => {
    await renderTopologyTab(
      topologyApi(async () =>
        bookinfoGraph({
          traffic: {
            source: 'prometheus',
            window: '5m',
            error: 'connect ECONNREFUSED 127.0.0.1:9090',
          },
          clusterErrors: [{ cluster: 'prod', message: 'Unauthorized' }],
          truncated: { nodes: 2400, limit: 1000 },
        }),
      ),
    );
    const notices = await screen.findByTestId('topology-notices');
    expect(notices).toHaveTextContent(
      'Traffic figures are unavailable (prometheus: connect ECONNREFUSED 127.0.0.1:9090). The edges shown come from configuration only.',
    );
    expect(notices).toHaveTextContent(
      'Cluster prod could not be read: Unauthorized. Its nodes are missing from the graph.',
    );
    expect(notices).toHaveTextContent(
      'The graph was cut to 1000 nodes of 2400',
    );
    expect(notices).not.toHaveTextContent('No traffic figures');
    // the graph is still drawn
    expect(await screen.findAllByTestId('topology-node')).toHaveLength(11);
  });

  it("opens a node's details with its entity, Mesh tab and edge rules", async () => {
    await renderTopologyTab(topologyApi(async () => bookinfoGraph()));
    await screen.findAllByTestId('topology-node');
    const button = node('reviews');
    expect(button.tagName).toBe('BUTTON'); // Enter and Space open it too
    fireEvent.click(button);

    const panel = await screen.findByRole('region', {
      name: 'Details of reviews',
    });
    expect(panel).toHaveTextContent('Service in bookinfo · cluster dev');
    expect(
      within(panel).getByRole('link', { name: 'component:default/reviews' }),
    ).toHaveAttribute('href', '/catalog/default/component/reviews');
    expect(
      within(panel).getByRole('link', { name: 'Open its Mesh tab' }),
    ).toHaveAttribute('href', '/catalog/default/component/reviews/mesh');
    const outgoing = within(panel)
      .getAllByTestId('topology-panel-edge')
      .map(e => e.textContent);
    expect(outgoing).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'VirtualService bookinfo/reviews · subset v1 · weight 50% (istio)',
        ),
        expect.stringContaining(
          'VirtualService bookinfo/reviews · subset v3 · weight 20% (istio)',
        ),
      ]),
    );
    expect(panel).toHaveTextContent('Outgoing (3)');
    expect(panel).toHaveTextContent('Incoming (1)');

    fireEvent.click(node('reviews-v3'));
    const v3 = await screen.findByRole('region', {
      name: 'Details of reviews-v3',
    });
    expect(v3).toHaveTextContent('Degraded (0 of 1 pods ready)');
    expect(v3).toHaveTextContent('Pods ready0 of 1');
    expect(v3).toHaveTextContent('Pods meshed1 of 1');
    expect(v3).toHaveTextContent('Meshistio 1.24.2');
    expect(v3).toHaveTextContent('Versionv3');

    fireEvent.click(within(v3).getByRole('button', { name: 'Close details' }));
    expect(
      screen.queryByRole('region', { name: /^Details of/ }),
    ).not.toBeInTheDocument();
  });

  it('searches nodes and focuses one, opening its details', async () => {
    await renderTopologyTab(topologyApi(async () => bookinfoGraph()));
    await screen.findAllByTestId('topology-node');
    fireEvent.change(screen.getByRole('textbox', { name: 'Search nodes' }), {
      target: { value: 'reviews-v' },
    });
    expect(screen.getByText('3 matches')).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Focus reviews-v2 in bookinfo' }),
    );
    expect(
      await screen.findByRole('region', { name: 'Details of reviews-v2' }),
    ).toBeInTheDocument();
    expect(node('reviews-v2')).toHaveAttribute('aria-pressed', 'true');
  });

  it('asks again with the depth and window chosen', async () => {
    const getTopology = jest.fn(async () => bookinfoGraph());
    await renderTopologyTab(topologyApi(getTopology));
    await screen.findAllByTestId('topology-node');

    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Depth' }));
    fireEvent.click(await screen.findByRole('option', { name: '2 hops' }));
    await waitFor(() =>
      expect(getTopology).toHaveBeenLastCalledWith(
        { entityRef: 'component:default/productpage' },
        { depth: 2, window: '5m' },
      ),
    );
    fireEvent.mouseDown(
      screen.getByRole('combobox', { name: 'Traffic window' }),
    );
    fireEvent.click(await screen.findByRole('option', { name: '1h' }));
    await waitFor(() =>
      expect(getTopology).toHaveBeenLastCalledWith(
        { entityRef: 'component:default/productpage' },
        { depth: 2, window: '1h' },
      ),
    );
    expect(getTopology).toHaveBeenCalledTimes(3);
  });

  it('collapses and expands a namespace', async () => {
    await renderTopologyTab(topologyApi(async () => bookinfoGraph()));
    await screen.findAllByTestId('topology-node');
    fireEvent.click(
      screen.getByRole('button', { name: 'Collapse namespace bookinfo' }),
    );
    const collapsed = await screen.findByRole('button', {
      name: 'Expand namespace bookinfo (10 nodes · 1 degraded)',
    });
    expect(screen.getAllByTestId('topology-node')).toHaveLength(1); // the gateway
    fireEvent.click(collapsed);
    await waitFor(() =>
      expect(screen.getAllByTestId('topology-node')).toHaveLength(11),
    );
  });

  it('starts big graphs with their namespaces collapsed', async () => {
    const big: TopologyGraph = bigGraph(4, 60);
    await renderTopologyTab(topologyApi(async () => big));
    const groups = await screen.findAllByTestId('topology-collapsed-group');
    expect(groups).toHaveLength(4);
    expect(screen.queryAllByTestId('topology-node')).toHaveLength(0);
    expect(
      screen.getByRole('button', {
        name: 'Expand namespace ns1 (60 nodes · 1 failing)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/240 nodes · 239 edges · 4 namespaces collapsed/),
    ).toBeInTheDocument();
    // searching a node inside a collapsed namespace opens it
    fireEvent.change(screen.getByRole('textbox', { name: 'Search nodes' }), {
      target: { value: 'w2-17' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Focus w2-17 in ns2' }));
    expect(
      await screen.findByRole('button', {
        name: 'w2-17, Workload in ns2, Healthy',
      }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByText(/240 nodes · 239 edges · 3 namespaces collapsed/),
    ).toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'InputError', message: 'depth must be 1 to 5' },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderTopologyTab(
      topologyApi(async () => {
        throw error;
      }),
    );
    expect(
      (await screen.findAllByText(/depth must be 1 to 5/))[0],
    ).toBeInTheDocument();
  });

  it('says when nothing was found', async () => {
    await renderTopologyTab(
      topologyApi(async () => bookinfoGraph({ nodes: [], edges: [] })),
    );
    expect(await screen.findByText('No workloads found')).toBeInTheDocument();
  });

  it('asks for the annotations on an entity without them', async () => {
    const getTopology = jest.fn();
    await renderTopologyTab(topologyApi(getTopology), {
      entity: { ...productpage, metadata: { name: 'website' } },
    });
    expect(
      (await screen.findAllByText(/backstage.io\/kubernetes-id/))[0],
    ).toBeInTheDocument();
    expect(getTopology).not.toHaveBeenCalled();
  });
});
