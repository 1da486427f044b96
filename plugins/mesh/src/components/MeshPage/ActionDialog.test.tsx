import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { MeshAdapterInfo } from '@meshstage/plugin-mesh-common';
import { adapters, fakeApi, renderPage } from './__testUtils__/fleetFixtures';

/** Opens an action of the dev Istio cell and returns its dialog (the form). */
async function openAction(button: string, title: RegExp) {
  const cell = await screen.findByTestId('fleet-cell-dev-istio');
  fireEvent.click(within(cell).getByRole('button', { name: button }));
  return screen.findByRole('dialog', { name: title });
}

/** Picks `option` in the MUI select labelled `label`. */
async function choose(dialog: HTMLElement, label: string, option: RegExp) {
  fireEvent.mouseDown(within(dialog).getByRole('combobox', { name: label }));
  fireEvent.click(await screen.findByRole('option', { name: option }));
}

const preview = (dialog: HTMLElement) =>
  fireEvent.click(within(dialog).getByRole('button', { name: 'Preview plan' }));

const withSamples: MeshAdapterInfo[] = adapters.map(a =>
  a.id === 'istio'
    ? {
        ...a,
        sampleApps: [
          {
            id: 'bookinfo',
            displayName: 'Bookinfo',
            description: 'Istio’s sample',
            defaultNamespace: 'bookinfo',
          },
          {
            id: 'echo',
            displayName: 'Echo (benchmark target)',
            description: 'meshstage/echo',
            defaultNamespace: 'echo',
          },
        ],
      }
    : a,
);

describe('MeshPageContent action forms', () => {
  it('upgrade: refuses a bad revision tag, then sends the canary upgrade with its tags', async () => {
    const api = fakeApi();
    await renderPage(api);
    const dialog = await openAction('Upgrade', /^Upgrade: Istio on dev$/);
    const form = within(dialog).getByRole('form', { name: 'Upgrade form' });
    // The version not installed yet is proposed; the installed one is marked.
    expect(
      within(form).getByRole('combobox', { name: 'To version' }),
    ).toHaveTextContent('1.29.6');
    expect(
      within(form).getByRole('combobox', { name: 'Strategy' }),
    ).toHaveTextContent('Canary');
    fireEvent.change(
      within(form).getByRole('textbox', { name: 'Revision tags' }),
      { target: { value: 'prod-stable, Bad_Tag' } },
    );
    preview(dialog);
    expect(
      await within(form).findByText(
        '"Bad_Tag" is not a valid tag (lowercase letters, digits and -)',
      ),
    ).toBeInTheDocument();
    expect(
      within(form).getByRole('textbox', { name: 'Revision tags' }),
    ).toHaveAttribute('aria-invalid', 'true');
    expect(api.previewOperation).not.toHaveBeenCalled();

    fireEvent.change(
      within(form).getByRole('textbox', { name: 'Revision tags' }),
      { target: { value: 'prod-stable, canary' } },
    );
    preview(dialog);
    await screen.findByTestId('plan-preview');
    const request = {
      action: 'upgrade',
      cluster: 'dev',
      mesh: 'istio',
      toVersion: '1.29.6',
      strategy: 'canary',
      revisionTags: ['prod-stable', 'canary'],
    };
    expect(api.previewOperation).toHaveBeenCalledWith(request);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(api.createOperation).toHaveBeenCalledWith(request),
    );
  });

  it('upgrade: in place sends no revision tags, and the installed version can be chosen', async () => {
    const api = fakeApi();
    await renderPage(api);
    const dialog = await openAction('Upgrade', /^Upgrade: Istio on dev$/);
    await choose(dialog, 'Strategy', /^In place/);
    expect(
      within(dialog).queryByRole('textbox', { name: 'Revision tags' }),
    ).toBeNull();
    await choose(dialog, 'To version', /^1\.30\.3 \(installed\)$/);
    preview(dialog);
    await screen.findByTestId('plan-preview');
    expect(api.previewOperation).toHaveBeenCalledWith({
      action: 'upgrade',
      cluster: 'dev',
      mesh: 'istio',
      toVersion: '1.30.3',
      strategy: 'in-place',
    });
  });

  it('upgrade: says so when the adapter lists no version', async () => {
    const api = fakeApi({
      getAdapters: jest.fn(async () =>
        adapters.map(a =>
          a.id === 'istio' ? { ...a, supportedVersions: [] } : a,
        ),
      ),
    });
    await renderPage(api);
    const dialog = await openAction('Upgrade', /^Upgrade: Istio on dev$/);
    preview(dialog);
    expect(await within(dialog).findByText('Pick a version')).toBeTruthy();
    expect(api.previewOperation).not.toHaveBeenCalled();
  });

  it('onboard namespace: refuses an empty or invalid name, then sends the namespace', async () => {
    const api = fakeApi();
    await renderPage(api);
    const dialog = await openAction(
      'Onboard namespace',
      /^Onboard namespace: Istio on dev$/,
    );
    const namespace = within(dialog).getByRole('textbox', {
      name: 'Namespace',
    });
    const error = 'Enter a namespace name (lowercase letters, digits and -)';
    preview(dialog);
    expect(await within(dialog).findByText(error)).toBeInTheDocument();
    fireEvent.change(namespace, { target: { value: 'Shop_1' } });
    preview(dialog);
    expect(await within(dialog).findByText(error)).toBeInTheDocument();
    expect(namespace).toHaveAttribute('aria-invalid', 'true');
    expect(api.previewOperation).not.toHaveBeenCalled();

    fireEvent.change(namespace, { target: { value: 'shop' } });
    preview(dialog);
    await screen.findByTestId('plan-preview');
    expect(api.previewOperation).toHaveBeenCalledWith({
      action: 'onboard',
      cluster: 'dev',
      mesh: 'istio',
      namespace: 'shop',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(api.createOperation).toHaveBeenCalledWith({
        action: 'onboard',
        cluster: 'dev',
        mesh: 'istio',
        namespace: 'shop',
      }),
    );
  });

  it('deploy sample: offers the adapter’s samples, refuses a bad namespace, sends the choice', async () => {
    const api = fakeApi({ getAdapters: jest.fn(async () => withSamples) });
    await renderPage(api);
    const dialog = await openAction(
      'Deploy sample',
      /^Deploy sample: Istio on dev$/,
    );
    expect(
      within(dialog).getByRole('combobox', { name: 'Sample application' }),
    ).toHaveTextContent('Bookinfo');
    await choose(dialog, 'Sample application', /^Echo \(benchmark target\)$/);
    const namespace = within(dialog).getByRole('textbox', {
      name: 'Namespace',
    });
    fireEvent.change(namespace, { target: { value: 'Bench!' } });
    preview(dialog);
    expect(
      await within(dialog).findByText('Lowercase letters, digits and -'),
    ).toBeInTheDocument();
    expect(api.previewOperation).not.toHaveBeenCalled();

    fireEvent.change(namespace, { target: { value: 'bench' } });
    preview(dialog);
    await screen.findByTestId('plan-preview');
    const request = {
      action: 'deploy-sample',
      cluster: 'dev',
      mesh: 'istio',
      sample: 'echo',
      namespace: 'bench',
    };
    expect(api.previewOperation).toHaveBeenCalledWith(request);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(api.createOperation).toHaveBeenCalledWith(request),
    );
  });

  it('deploy sample: an empty namespace leaves it to the sample', async () => {
    const api = fakeApi({ getAdapters: jest.fn(async () => withSamples) });
    await renderPage(api);
    const dialog = await openAction(
      'Deploy sample',
      /^Deploy sample: Istio on dev$/,
    );
    preview(dialog);
    await screen.findByTestId('plan-preview');
    expect(api.previewOperation).toHaveBeenCalledWith({
      action: 'deploy-sample',
      cluster: 'dev',
      mesh: 'istio',
      sample: 'bookinfo',
    });
  });
});
