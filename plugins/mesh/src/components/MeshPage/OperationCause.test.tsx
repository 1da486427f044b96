import { screen, within, fireEvent } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  interruptedApi,
  interruptedOperation,
  renderPage,
} from './__testUtils__/fleetFixtures';

// An operation the catalog-driven onboarding started: the history says for which entities.
const automatic = {
  ...interruptedOperation,
  id: 'op-auto',
  action: 'onboard' as const,
  summary: 'Onboard namespace bookinfo to Istio on dev',
  createdBy: 'service:plugin:mesh',
  cause: {
    kind: 'onboarding' as const,
    entityRefs: ['component:default/productpage', 'component:default/reviews'],
  },
};

describe('operations started by the catalog-driven onboarding', () => {
  it('name their entities in the history and in the operation dialog', async () => {
    const api = interruptedApi({
      listOperations: jest.fn(async () => [
        {
          ...automatic,
          plan: undefined,
          steps: automatic.plan.steps.length,
        },
        {
          ...interruptedOperation,
          plan: undefined,
          steps: interruptedOperation.plan.steps.length,
        },
      ]),
      getOperation: jest.fn(async () => ({ operation: automatic, log: [] })),
    } as any);
    await renderPage(api, AuthorizeResult.ALLOW, '/?tab=operations');
    const table = await screen.findByTestId('operations-table');
    const row = within(table).getByTestId('operation-row-op-auto');
    expect(row).toHaveTextContent('service:plugin:mesh');
    expect(within(row).getByTestId('operation-cause')).toHaveTextContent(
      'catalog onboarding for productpage, reviews',
    );
    expect(
      within(row).getByRole('link', { name: 'productpage' }),
    ).toHaveAttribute('href', '/catalog/default/component/productpage');
    // A person's operation has no such line.
    expect(
      within(
        within(table).getByTestId(`operation-row-${interruptedOperation.id}`),
      ).queryByTestId('operation-cause'),
    ).toBeNull();

    fireEvent.click(
      within(row).getByRole('button', { name: automatic.summary }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Operation op-auto',
    });
    expect(await within(dialog).findByText('Why')).toBeInTheDocument();
    expect(within(dialog).getByTestId('operation-cause')).toHaveTextContent(
      'catalog onboarding for productpage, reviews',
    );
  });
});
