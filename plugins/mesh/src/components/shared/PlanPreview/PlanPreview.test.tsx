import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { PlanPreview } from './PlanPreview';

const DIFF = `# Install Istio 1.24.2 on dev

## 1. Apply Namespace/istio-system
+ Namespace/istio-system
+   {
+     "apiVersion": "v1"
+   }

## 2. Patch Namespace/bookinfo
~ Namespace/bookinfo (enable sidecar injection)
-   /metadata/labels/istio.io~1rev
`;

describe('PlanPreview', () => {
  it('shows each step collapsible, its lines marked by kind', async () => {
    await renderInTestApp(<PlanPreview diff={DIFF} />);
    const preview = screen.getByTestId('plan-preview');
    expect(
      within(preview).getByText('Install Istio 1.24.2 on dev'),
    ).toBeInTheDocument();
    expect(within(preview).getByText('2 steps')).toBeInTheDocument();
    const step1 = within(preview).getByRole('button', {
      name: /1\. Apply Namespace\/istio-system/,
    });
    expect(step1).toHaveAttribute('aria-expanded', 'true');
    expect(step1).toHaveTextContent('(1 new)');
    expect(screen.getByText('+ Namespace/istio-system')).toHaveAttribute(
      'data-kind',
      'add',
    );
    expect(
      screen.getByText('- /metadata/labels/istio.io~1rev'),
    ).toHaveAttribute('data-kind', 'remove');

    fireEvent.click(step1);
    expect(step1).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(
      screen.getByRole('button', { name: /2\. Patch Namespace\/bookinfo/ }),
    ).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(step1).toHaveAttribute('aria-expanded', 'true');
  });

  it('starts collapsed when asked', async () => {
    await renderInTestApp(<PlanPreview diff={DIFF} defaultExpanded="none" />);
    expect(
      screen.getByRole('button', { name: /1\. Apply Namespace/ }),
    ).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByText('+ Namespace/istio-system'),
    ).not.toBeInTheDocument();
  });
});
