import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TopologyGraphView } from './TopologyGraph';
import { inThreadEngine, type LayoutEngine } from './layout/engine';
import { stubReactFlowBrowser } from './__testUtils__/reactFlowStubs';
import { bookinfoGraph } from './__testUtils__/topologyFixtures';

stubReactFlowBrowser();

describe('TopologyGraphView', () => {
  it('lays out once: selecting nodes and opening or closing the details do not lay out again', async () => {
    const inner = inThreadEngine();
    const engine: LayoutEngine = { layout: jest.fn(g => inner.layout(g)) };
    const rendered = jest.fn();
    const graph = bookinfoGraph();
    render(
      <TopologyGraphView
        graph={graph}
        layoutEngine={engine}
        onRendered={rendered}
        renderDetails={(node, close) => (
          <section aria-label={`Details of ${node.name}`}>
            <button onClick={close}>Close details</button>
          </section>
        )}
      />,
    );
    await waitFor(() => expect(rendered).toHaveBeenCalledTimes(1));
    const canvas = screen.getByTestId('topology-graph');
    expect(canvas).toHaveAttribute('data-layout', 'ready');

    fireEvent.click(screen.getByRole('button', { name: /^reviews,/ }));
    expect(
      await screen.findByRole('region', { name: 'Details of reviews' }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /^details-v1,/ }));
    expect(
      await screen.findByRole('region', { name: 'Details of details-v1' }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Close details' }));
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: /^Details of/ }),
      ).not.toBeInTheDocument(),
    );
    // searching dims nodes; still no layout
    fireEvent.change(screen.getByRole('textbox', { name: 'Search nodes' }), {
      target: { value: 'reviews' },
    });
    expect(screen.getByText('4 matches')).toBeInTheDocument();

    expect(engine.layout).toHaveBeenCalledTimes(1);
    expect(rendered).toHaveBeenCalledTimes(1);
    expect(canvas).toHaveAttribute('data-layout', 'ready');
  });
});
