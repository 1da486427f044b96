// The browser scenarios on catalog entity component:default/productpage, in order: each is a named
// check with its own time limit and screenshots (docs/screenshots/e2e-*.png). They assert what a
// user sees (text, roles, the test ids the tabs document), and do out-of-browser setup the way a
// platform engineer would (REST API, kubectl), never by reaching into the app.
import { kubectl } from './api.mjs';
import { waitFor } from './portal.mjs';

const ENTITY_PATH = '/catalog/default/component/productpage';

/** The entity's tab link ("Overview", "Mesh", ...) in the entity page's content navigation. */
const tab = (page, name) =>
  page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name, exact: true });

async function openTab(ctx, name) {
  const { page, baseUrl } = ctx;
  await page.goto(`${baseUrl}${ENTITY_PATH}`);
  if (name !== 'Overview') await tab(page, name).click();
}

/** Fails with `message` unless the locator resolves within the time limit. */
async function see(locator, message, timeout = 30_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (e) {
    throw new Error(`${message} (not visible after ${timeout / 1000} s)`);
  }
}

export const scenarios = [
  {
    name: 'Overview: the mesh status card shows the pod coverage',
    timeoutMs: 90_000,
    async run(ctx) {
      const { page } = ctx;
      await openTab(ctx, 'Overview');
      const card = page.getByTestId('mesh-status-card');
      await see(card, 'the Overview tab has no mesh status card');
      await see(
        card.getByText('Service mesh'),
        'the card has no "Service mesh" title',
      );
      await see(
        card.getByText(/\b0 of 1 pods? meshed\b/),
        'the card does not say "0 of 1 pod(s) meshed" before onboarding',
      );
      await see(
        card.getByText('istio', { exact: true }),
        'the card does not name the expected mesh istio',
      );
      // The Relations graph above zooms to fit once laid out: let it settle for the screenshot.
      await page
        .waitForLoadState('networkidle', { timeout: 15_000 })
        .catch(() => {});
      await page.waitForTimeout(1500);
      await card.scrollIntoViewIfNeeded();
      await ctx.screenshot('e2e-overview-card.png');
    },
  },

  {
    name: 'Mesh: onboard bookinfo to Istio (plan, confirm, log, pods gain their proxy)',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page, api } = ctx;
      // A platform engineer installs Istio on the dev cluster first (REST API).
      const version = await ctx.step(
        'install istio through POST /api/mesh/operations',
        () => api.ensureIstio(),
      );
      ctx.log(`istio ${version} installed on dev`);

      await openTab(ctx, 'Mesh');
      const pods = page.getByTestId('pod-table');
      await see(
        pods.getByRole('row').filter({ hasText: 'productpage-v1' }),
        'the pod table lists no productpage pod',
      );
      const meshedRows = pods
        .getByRole('row')
        .filter({ hasText: 'istio-proxy' });
      if ((await meshedRows.count()) !== 0) {
        throw new Error('the pod table shows an istio-proxy before onboarding');
      }
      // A full page load would drop this marker: the table must follow without one.
      await page.evaluate(() => {
        window.__meshstageE2eNoReload = true;
      });

      await page.getByRole('button', { name: 'Onboard', exact: true }).click();
      const dialog = page.getByRole('dialog', {
        name: /Onboard bookinfo to istio on dev/,
      });
      await see(dialog, 'no "Onboard bookinfo to istio on dev" dialog opened');
      const plan = dialog.getByTestId('plan-preview');
      await see(plan, 'the dialog shows no plan', 60_000);
      await see(
        plan.getByText(/bookinfo/),
        'the plan does not mention namespace bookinfo',
      );
      const confirm = dialog.getByRole('button', {
        name: 'Confirm',
        exact: true,
      });
      await waitFor('Confirm to be enabled', () => confirm.isEnabled(), {
        timeoutMs: 30_000,
      });
      await page.waitForTimeout(500); // the button's colour transition, for the screenshot
      await ctx.screenshot('e2e-mesh-onboard-plan.png');

      await confirm.click();
      const log = dialog.getByTestId('operation-log');
      await see(log, 'no operation log after Confirm');
      await see(
        log.getByText('Operation succeeded'),
        'the operation log did not reach "succeeded"',
        180_000,
      );
      await ctx.screenshot('e2e-mesh-onboard-log.png');
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

      await see(
        meshedRows,
        'the pod table shows no pod with an istio-proxy container',
        60_000,
      );
      await see(
        page.getByText(/\b1 of 1 pods? meshed\b/),
        'the namespace does not say "1 of 1 pod(s) meshed"',
        30_000,
      );
      const reloaded = await page.evaluate(
        () => !window.__meshstageE2eNoReload,
      );
      if (reloaded)
        throw new Error('the page reloaded while following the operation');
      await ctx.screenshot('e2e-mesh-onboarded.png', { fullPage: true });
    },
  },

  {
    name: 'Mesh tab in the dark theme',
    timeoutMs: 60_000,
    async run(ctx) {
      const page = await ctx.newPage({ theme: 'dark' });
      try {
        await page.goto(`${ctx.baseUrl}${ENTITY_PATH}/mesh`);
        await see(
          page
            .getByTestId('pod-table')
            .getByRole('row')
            .filter({ hasText: 'productpage-v1' }),
          'the dark Mesh tab lists no productpage pod',
        );
        const mode = await page.evaluate(
          () => getComputedStyle(document.body).backgroundColor,
        );
        const [r, g, b] = mode.match(/\d+/g).map(Number);
        if (r + g + b > 3 * 128) {
          throw new Error(
            `the page background is light in the dark theme (${mode})`,
          );
        }
        await ctx.screenshot('e2e-mesh-dark.png', { page, fullPage: true });
      } finally {
        await page.close();
      }
    },
  },

  {
    name: 'Performance: a benchmark of the sample echo app shows percentiles and the distribution',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page, api } = ctx;
      await ctx.step('istio on dev', () => api.ensureIstio());
      const { items } = await api.get('/api/mesh/adapters');
      const samples = items.find(a => a.id === 'istio')?.sampleApps ?? [];
      if (!samples.some(s => s.id === 'echo')) {
        throw new Error(
          'the istio adapter offers no "echo" sample app (GET /api/mesh/adapters)',
        );
      }
      await ctx.step(
        'deploy the echo sample through POST /api/mesh/operations',
        () =>
          api.runOperation({
            action: 'deploy-sample',
            mesh: 'istio',
            cluster: 'dev',
            sample: 'echo',
          }),
      );

      await openTab(ctx, 'Performance');
      await page
        .getByRole('button', { name: 'New profile', exact: true })
        .first()
        .click();
      const dialog = page.getByRole('dialog', {
        name: 'New performance profile',
      });
      await see(dialog, 'no "New performance profile" dialog opened');
      await dialog
        .getByRole('button', { name: 'Use the sample echo target' })
        .click();
      await dialog
        .getByRole('textbox', { name: 'Name', exact: true })
        .fill('e2e echo');
      await dialog
        .getByRole('textbox', { name: 'Duration', exact: true })
        .fill('3s');
      await dialog
        .getByRole('textbox', { name: 'Warmup', exact: true })
        .fill('500ms');
      await ctx.screenshot('e2e-performance-profile.png');
      await dialog.getByRole('button', { name: 'Create profile' }).click();
      await dialog
        .waitFor({ state: 'hidden', timeout: 30_000 })
        .catch(async () => {
          const alert = await dialog
            .getByRole('alert')
            .allInnerTexts()
            .catch(() => []);
          throw new Error(
            `the profile was not created${
              alert.length ? `: ${alert.join(' ')}` : ''
            }`,
          );
        });

      await page
        .getByRole('button', { name: 'Run e2e echo', exact: true })
        .click();
      const percentiles = page.getByTestId('percentile-table');
      await see(percentiles, 'no percentile table after the run', 180_000);
      await see(
        percentiles.getByRole('row').filter({ hasText: /p99\b/ }),
        'the percentile table has no p99 row',
      );
      const distribution = page.getByTestId('latency-distribution');
      await see(distribution, 'no latency distribution after the run');
      await see(
        distribution.getByRole('img', { name: /Latency distribution/ }),
        'the latency distribution has no plot',
      );
      await ctx.screenshot('e2e-performance-result.png', { fullPage: true });
    },
  },

  {
    name: 'Validation: a planted misconfiguration appears after "Scan now"',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, api } = ctx;
      await ctx.step('istio on dev (its CRDs)', () => api.ensureIstio());
      // MS0201 (VirtualServiceDestinationHostNotFound, docs/validation-codes.md): a VirtualService
      // for productpage routing to a Service that does not exist. Its host names productpage's
      // Service, so the entity's findings include it.
      kubectl(
        ctx.kubeconfig,
        ['apply', '-f', '-'],
        `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage-e2e-canary
  namespace: bookinfo
spec:
  hosts: [productpage]
  http:
    - route:
        - destination:
            host: productpage-canary
`,
      );
      await openTab(ctx, 'Validation');
      const findings = page.getByTestId('validation-findings');
      const planted = findings.getByText(/MS0201/);
      if (await planted.count()) {
        throw new Error('MS0201 is shown before the scan');
      }
      await page.getByRole('button', { name: 'Scan now' }).first().click();
      await see(
        planted,
        'no MS0201 finding in the findings list after "Scan now"',
        90_000,
      );
      await see(
        findings.getByText(/productpage-canary/),
        'the finding does not name the missing host productpage-canary',
      );
      await planted.first().scrollIntoViewIfNeeded();
      await ctx.screenshot('e2e-validation-finding.png', { fullPage: true });
    },
  },
];
