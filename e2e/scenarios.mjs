// The browser scenarios, in order: on catalog entity component:default/productpage, then on the
// platform team's fleet page /mesh (below). Each is a named check with its own time limit and
// screenshots (docs/screenshots/e2e-*.png). They assert what a
// user sees (text, roles, the test ids the tabs document), and do out-of-browser setup the way a
// platform engineer would (REST API, kubectl), never by reaching into the app.
import { readFileSync } from 'node:fs';
import { kubectl } from './api.mjs';
import { waitFor } from './portal.mjs';

const ENTITY_PATH = '/catalog/default/component/productpage';

/**
 * A Deployment the failed-onboard check adds to bookinfo, belonging to no entity. Its name sorts
 * first, so an onboard of bookinfo restarts it first (right after labelling the namespace) and
 * fails there before restarting any of bookinfo's own Deployments.
 */
const REFUSED_DEPLOYMENT = 'a-e2e-restart-refused';

/**
 * kube-sim's faults for the whole run (`--faults`, passed by scripts/test-e2e.mjs): the first
 * restart (PATCH) of REFUSED_DEPLOYMENT is refused with a 403, once. Only the failed-onboard
 * check creates that Deployment, so no other check meets the fault, whichever run.
 */
export const clusterFaults = `forbidden403=1,verbs=patch,resources=deployments.apps,namespaces=bookinfo,names=${REFUSED_DEPLOYMENT},count=1`;

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
    name: 'Mesh: a failed onboard offers Resume and Revert, also after a reload; Revert undoes it',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page, api, kubeconfig } = ctx;
      await ctx.step('install istio through POST /api/mesh/operations', () =>
        api.ensureIstio(),
      );
      kubectl(
        kubeconfig,
        ['apply', '-f', '-'],
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${REFUSED_DEPLOYMENT}
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${REFUSED_DEPLOYMENT} }
  template:
    metadata:
      labels: { app: ${REFUSED_DEPLOYMENT} }
    spec:
      containers:
        - name: main
          image: docker.io/library/busybox:1.36
`,
      );
      try {
        await openTab(ctx, 'Mesh');
        await page
          .getByRole('button', { name: 'Onboard', exact: true })
          .click();
        const dialog = page.getByRole('dialog', {
          name: /Onboard bookinfo to istio on dev/,
        });
        await see(
          dialog.getByTestId('plan-preview'),
          'no onboard plan',
          60_000,
        );
        const confirm = dialog.getByRole('button', {
          name: 'Confirm',
          exact: true,
        });
        await waitFor('Confirm to be enabled', () => confirm.isEnabled(), {
          timeoutMs: 30_000,
        });
        await confirm.click();
        const log = dialog.getByTestId('operation-log');
        await see(
          log.getByText('Operation failed'),
          `the onboard did not fail at the refused restart of ${REFUSED_DEPLOYMENT}`,
          120_000,
        );
        if (!(await log.innerText()).includes(REFUSED_DEPLOYMENT)) {
          throw new Error(
            `the failed onboard's log does not name ${REFUSED_DEPLOYMENT}`,
          );
        }
        await dialog
          .getByRole('button', { name: 'Close', exact: true })
          .click();
        await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

        const resume = page.getByRole('button', {
          name: 'Resume',
          exact: true,
        });
        const revert = page.getByRole('button', {
          name: 'Revert',
          exact: true,
        });
        const offered = async when => {
          await see(
            page.getByText('Last operation', { exact: true }),
            `no "Last operation" card ${when}`,
          );
          await see(resume, `no Resume ${when}`);
          await see(revert, `no Revert ${when}`);
          await waitFor(
            `Resume and Revert to be enabled ${when}`,
            async () =>
              (await resume.isEnabled()) && (await revert.isEnabled()),
            { timeoutMs: 30_000 },
          );
        };
        await offered('after the onboard failed');
        // A reload forgets what the tab started: it finds the failed operation again.
        await page.reload();
        await offered('after a reload');
        await see(
          page.getByTestId('operation-log').getByText('Operation failed'),
          'the card after the reload does not show the failed log',
        );
        await revert.scrollIntoViewIfNeeded();
        await page.waitForTimeout(500); // the log's scroll, for the screenshot
        await ctx.screenshot('e2e-mesh-onboard-failed.png');

        await revert.click();
        const again = page.getByRole('dialog', { name: /^Revert: Onboard/ });
        await see(again, 'no "Revert: Onboard ..." dialog opened');
        await see(
          again.getByTestId('plan-preview').getByText(/bookinfo/),
          'the revert plan does not mention namespace bookinfo',
          60_000,
        );
        const confirmRevert = again.getByRole('button', {
          name: 'Confirm',
          exact: true,
        });
        await waitFor(
          'Confirm of the revert to be enabled',
          () => confirmRevert.isEnabled(),
          { timeoutMs: 30_000 },
        );
        await page.waitForTimeout(500); // the button's colour transition
        await ctx.screenshot('e2e-mesh-revert-plan.png');
        await confirmRevert.click();
        await see(
          again.getByTestId('operation-log').getByText('Operation reverted'),
          'the revert did not reach "reverted"',
          120_000,
        );
        await again.getByRole('button', { name: 'Close', exact: true }).click();
        await again.waitFor({ state: 'hidden', timeout: 10_000 });
        await see(
          page.getByText('Last operation', { exact: true }),
          'no "Last operation" card after the revert',
        );
        if ((await resume.count()) || (await revert.count())) {
          throw new Error('Resume or Revert is still offered after the revert');
        }
        const labels = kubectl(kubeconfig, [
          'get',
          'namespace',
          'bookinfo',
          '-o',
          'jsonpath={.metadata.labels}',
        ]);
        if (/istio-injection|istio\.io\/rev/.test(labels)) {
          throw new Error(
            `namespace bookinfo still has an Istio injection label after the revert: ${labels}`,
          );
        }
      } finally {
        kubectl(kubeconfig, [
          'delete',
          'deployment',
          '-n',
          'bookinfo',
          REFUSED_DEPLOYMENT,
          '--ignore-not-found',
          '--wait=false',
        ]);
      }
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
  {
    name: 'Topology: productpage shows its neighbours from the routing configuration',
    timeoutMs: 240_000,
    async run(ctx) {
      const { page } = ctx;
      const viewport = page.viewportSize();
      try {
        await topologyChecks(ctx);
      } finally {
        await page.setViewportSize(viewport);
      }
    },
  },

  {
    name: 'Create: the three MeshStage templates are listed, and the install template plans through the scaffolder UI',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, baseUrl } = ctx;
      await page.goto(`${baseUrl}/create`);
      for (const title of [
        'New meshed service',
        'Onboard an existing service to a mesh',
        'Install or upgrade a mesh on a cluster',
      ]) {
        await see(
          page.getByText(title, { exact: true }),
          `Create does not list the template "${title}"`,
          60_000,
        );
      }
      await ctx.screenshot('e2e-create-templates.png');

      // The platform template, plan only: the scaffolder's form, review, then the task's output.
      const operations = async () =>
        (await ctx.api.get('/api/mesh/operations?limit=500')).items.length;
      const before = await operations();
      await page.goto(
        `${baseUrl}/create/templates/default/install-or-upgrade-mesh`,
      );
      const version = page.getByRole('textbox', { name: /^Version/ });
      await see(version, 'the install template has no Version field');
      await version.fill('1.30.3');
      await page.getByRole('button', { name: 'Next' }).click();
      const planOnly = page.getByRole('checkbox', { name: /Plan only/ });
      await see(planOnly, 'the install template has no "Plan only" option');
      await planOnly.check();
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('button', { name: 'Create' }).click();
      await see(
        page.getByText(/(Install|Upgrade) Istio .*1\.30\.3 on dev/).last(),
        'the task output does not name the planned install or upgrade',
        120_000,
      );
      await see(
        page.getByText(/state: dry-run/),
        'the task output does not say the plan ran as a dry run',
      );
      await see(
        page.getByText(/^1\. /m),
        'the task output shows no numbered plan steps',
      );
      await ctx.screenshot('e2e-create-install-plan.png', { fullPage: true });
      if ((await operations()) !== before) {
        throw new Error('the plan-only task started an operation');
      }
    },
  },
];

/** The Topology scenario's checks (ctx.page is widened for them, and restored after). */
async function topologyChecks(ctx) {
  const { page } = ctx;
  await ctx.step('istio on dev (its CRDs)', () => ctx.api.ensureIstio());
  // The platform engineer applies bookinfo's routing (Gateway, VirtualServices with the
  // reviews split 50/30/20, DestinationRules), as the example's header says.
  kubectl(
    ctx.kubeconfig,
    ['apply', '-f', '-'],
    readFileSync(
      new URL('../examples/istio/bookinfo-routing.yaml', import.meta.url),
      'utf8',
    ),
  );
  // A wide screen, so the whole neighbourhood fits at a readable zoom.
  await page.setViewportSize({ width: 1800, height: 1100 });
  await openTab(ctx, 'Topology');
  const graph = page.locator(
    '[data-testid="topology-graph"][data-layout="ready"]',
  );
  await see(graph, 'the Topology tab drew no graph', 60_000);
  const node = name =>
    graph.getByRole('button', { name: new RegExp(`^${name}, `) });
  for (const name of [
    'productpage-v1',
    'productpage',
    'details',
    'reviews',
    'reviews-v1',
    'reviews-v2',
    'reviews-v3',
  ]) {
    await see(node(name), `no ${name} node at depth 1`);
  }
  const focused = graph.locator('[data-testid="topology-node"][data-focus]');
  if ((await focused.count()) === 0) {
    throw new Error("productpage's own nodes are not highlighted");
  }
  const labels = graph.getByTestId('topology-edge-label');
  for (const weight of ['v1 50%', 'v2 30%', 'v3 20%']) {
    await see(
      labels.filter({ hasText: weight }),
      `no "${weight}" edge label from the reviews VirtualService`,
    );
  }
  await see(
    page.getByTestId('topology-notices').getByText(/No traffic figures/),
    'no notice that no metrics source is configured',
  );

  // Two hops out reaches ratings, through reviews.
  await page.getByRole('combobox', { name: 'Depth' }).click();
  await page.getByRole('option', { name: '2 hops' }).click();
  await see(node('ratings-v1'), 'no ratings-v1 node at depth 2', 60_000);
  await see(node('ratings'), 'no ratings Service node at depth 2');
  await page.waitForTimeout(800); // the zoom to fit
  await ctx.screenshot('e2e-topology.png');

  // Keyboard: Tab to a node and Enter opens its details.
  await node('reviews').focus();
  await page.keyboard.press('Enter');
  const details = page.getByRole('region', { name: 'Details of reviews' });
  await see(details, 'Enter on the reviews node opened no details');
  await see(
    details.getByText(
      /VirtualService bookinfo\/reviews · subset v2 · weight 30%/,
    ),
    'the details do not list the reviews route to v2 with its weight',
  );
  await see(
    details.getByRole('link', { name: 'Open its Mesh tab' }),
    'the details have no link to the Mesh tab of component:default/reviews',
  );
  // The panel took its width from the canvas: the graph is fitted again, every node inside.
  await page.waitForTimeout(800);
  const outside = await graph.evaluate(canvas => {
    const c = canvas.getBoundingClientRect();
    return [...canvas.querySelectorAll('[data-testid="topology-node"]')]
      .filter(n => {
        const r = n.getBoundingClientRect();
        return (
          r.left < c.left - 1 ||
          r.right > c.right + 1 ||
          r.top < c.top - 1 ||
          r.bottom > c.bottom + 1
        );
      })
      .map(n => n.getAttribute('aria-label'));
  });
  if (outside.length) {
    throw new Error(
      `with the details open, nodes outside the canvas: ${outside.join('; ')}`,
    );
  }
  await ctx.screenshot('e2e-topology-details.png');

  const dark = await ctx.newPage({ theme: 'dark' });
  try {
    await dark.setViewportSize({ width: 1800, height: 1100 });
    await dark.goto(`${ctx.baseUrl}${ENTITY_PATH}/topology`);
    await see(
      dark
        .locator('[data-testid="topology-graph"][data-layout="ready"]')
        .getByRole('button', { name: /^reviews-v1, / }),
      'the dark Topology tab shows no reviews-v1 node',
      60_000,
    );
    await dark.waitForTimeout(800);
    await ctx.screenshot('e2e-topology-dark.png', { page: dark });
  } finally {
    await dark.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The platform team's page, /mesh ("Service mesh" in the sidebar), on the state the checks above
// leave: Istio installed on the dev cluster through the REST API at the adapter's first version,
// bookinfo onboarded. Lifecycle actions go through the UI: the cell's button, the form,
// "Preview plan", the plan, "Confirm", the log to "succeeded".

const CLUSTER = 'dev';
const fleetCell = (page, mesh) =>
  page.getByTestId(`fleet-cell-${CLUSTER}-${mesh}`);
const escapeRe = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The fleet tab of /mesh, reached from the sidebar as a user would. */
async function openFleet(ctx) {
  const { page, baseUrl } = ctx;
  await page.goto(`${baseUrl}/`);
  await page
    .getByTestId('sidebar-root')
    .getByRole('link', { name: 'Service mesh' })
    .first()
    .click();
  await see(page.getByTestId('fleet-grid'), 'no fleet grid on /mesh', 60_000);
  if (!new URL(page.url()).pathname.startsWith('/mesh')) {
    throw new Error(`"Service mesh" led to ${page.url()}, not /mesh`);
  }
}

/** The versions a cell shows (e.g. "1.24.2" or "1.24.2, 1.25.1"; in any order), within the limit. */
async function cellShowsVersions(page, mesh, versions, timeoutMs = 60_000) {
  const want = [...versions].sort().join(', ');
  const cell = fleetCell(page, mesh);
  let seen = '(nothing)';
  try {
    await waitFor(
      `the ${mesh} cell to show ${want}`,
      async () => {
        const installed = await cell.getAttribute('data-installed');
        const v = cell.getByTestId('fleet-cell-versions');
        const text = (await v.count()) ? (await v.innerText()).trim() : '';
        seen = `"${text}", data-installed=${installed}`;
        return (
          installed === 'true' && text.split(/,\s*/).sort().join(', ') === want
        );
      },
      { timeoutMs, intervalMs: 1000 },
    );
  } catch {
    throw new Error(
      `the ${mesh} cell on ${CLUSTER} does not show installed version(s) "${want}" after ${
        timeoutMs / 1000
      } s (it shows ${seen})`,
    );
  }
}

/** Versions a mesh adapter supports (GET /api/mesh/adapters), as the form offers them. */
async function supportedVersions(api, mesh) {
  const { items } = await api.get('/api/mesh/adapters');
  const versions = items.find(a => a.id === mesh)?.supportedVersions ?? [];
  if (!versions.length) {
    throw new Error(`GET /api/mesh/adapters lists no ${mesh} version`);
  }
  return versions;
}

/** What the Istio cell shows as installed now, from the REST API (the state the checks left). */
async function installedVersions(api, mesh) {
  const status = await api.get(
    `/api/mesh/status?cluster=${CLUSTER}&mesh=${mesh}`,
  );
  const s = status.items?.find(i => i.mesh === mesh && i.cluster === CLUSTER);
  return s?.installed ? s.versions ?? [] : [];
}

/**
 * One lifecycle action from a fleet cell through the UI: the cell's button, the form (`fill`,
 * then "Preview plan") unless the action has none, the plan, "Confirm", the log to "succeeded".
 * Returns the operation's summary as the dialog shows it.
 */
async function runCellAction(
  ctx,
  { mesh, button, fill, planShot, runningShot, logShot },
) {
  const { page } = ctx;
  const cell = fleetCell(page, mesh);
  const btn = cell.getByRole('button', { name: button, exact: true });
  await see(btn, `the ${mesh} cell offers no "${button}" button`, 60_000);
  await waitFor(`"${button}" to be enabled`, () => btn.isEnabled(), {
    timeoutMs: 30_000,
  });
  await btn.click();
  const dialog = page.getByRole('dialog', {
    name: new RegExp(`^${escapeRe(button)}: .* on ${CLUSTER}$`),
  });
  await see(dialog, `no "${button}: … on ${CLUSTER}" dialog opened`);
  if (fill) {
    await see(
      dialog.getByRole('form', { name: `${button} form` }),
      `the ${button} dialog shows no form`,
    );
    await fill(dialog);
    await dialog
      .getByRole('button', { name: 'Preview plan', exact: true })
      .click();
  }
  const plan = dialog.getByTestId('plan-preview');
  await see(plan, `the ${button} dialog shows no plan`, 90_000);
  const confirm = dialog.getByRole('button', { name: 'Confirm', exact: true });
  await waitFor('Confirm to be enabled', () => confirm.isEnabled(), {
    timeoutMs: 30_000,
  });
  if (planShot) {
    await page.waitForTimeout(500); // the button's colour transition
    await ctx.screenshot(planShot);
  }
  await confirm.click();
  const log = dialog.getByTestId('operation-log');
  await see(log, `no operation log after Confirm (${button})`);
  const summary = (
    await dialog.getByRole('heading', { level: 3 }).first().innerText()
  ).trim();
  let runningTaken = false;
  if (runningShot) {
    // The step log while it runs, if the operation is still running when the log shows.
    const running = log.getByText(/^Running/);
    if (await running.isVisible().catch(() => false)) {
      // A step line, not the "Waiting for the first step…" placeholder.
      await log
        .getByRole('listitem')
        .filter({ hasText: /Step \d+\/\d+/ })
        .first()
        .waitFor({ state: 'visible', timeout: 15_000 })
        .catch(() => {});
      if (await running.isVisible().catch(() => false)) {
        await ctx.screenshot(runningShot);
        runningTaken = true;
      }
    }
  }
  const succeeded = log.getByText('Operation succeeded');
  try {
    await succeeded.waitFor({ state: 'visible', timeout: 240_000 });
  } catch {
    const tail = await log
      .innerText()
      .catch(() => '')
      .then(t => t.split('\n').slice(-3).join(' | '));
    throw new Error(
      `${summary}: the operation log did not reach "succeeded" within 240 s (log ends: ${tail})`,
    );
  }
  if (runningShot && !runningTaken) {
    ctx.log(`${summary}: finished before the log showed it running`);
    await ctx.screenshot(runningShot);
  }
  if (logShot) await ctx.screenshot(logShot);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  ctx.log(`${summary}: succeeded`);
  return summary;
}

/**
 * What the cluster holds of every kind an operation's plan touches, as sorted
 * "resource namespace/name uid" lines (kubectl over the dev cluster). A kind the cluster does not
 * serve (a CRD the operation would create) counts as empty.
 */
function snapshotOfPlanKinds(kubeconfig, steps) {
  const lines = [];
  for (const resource of planResources(steps)) {
    let out;
    try {
      out = kubectl(kubeconfig, ['get', resource, '-A', '-o', 'json']);
    } catch (e) {
      if (/doesn't have a resource type/.test(e.message)) continue;
      throw e;
    }
    for (const { metadata } of JSON.parse(out).items) {
      lines.push(
        `${resource} ${metadata.namespace ?? ''}/${metadata.name} ${
          metadata.uid
        }`,
      );
    }
  }
  return lines.sort();
}

/** The kinds a plan's steps touch, as kubectl resource names (`deployment.v1.apps`). */
function planResources(steps) {
  const resources = new Set();
  for (const step of steps) {
    // apply steps carry the object, the others its reference
    const { apiVersion, kind: Kind } = step.object ?? step.target;
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : ['', apiVersion];
    const kind = Kind.toLowerCase();
    resources.add(group ? `${kind}.${version}.${group}` : kind);
  }
  return [...resources].sort();
}

/** Lines of `a` missing from `b`, and of `b` missing from `a` (for a failure message). */
function setDifference(a, b) {
  const inB = new Set(b);
  const inA = new Set(a);
  return {
    gone: a.filter(l => !inB.has(l)),
    added: b.filter(l => !inA.has(l)),
  };
}

/**
 * Starts `request` through the REST API and kills the backend while the operation is running,
 * at least one step done and not all: kube-sim is frozen (SIGSTOP) as soon as the operation is
 * past its first step, so whatever step it is on cannot finish (its requests to the cluster
 * hang); the operation is read back through the API to check it is mid-way; then the backend is
 * killed (SIGKILL), the cluster thawed and the backend started again on the same database.
 * When the operation finished before the freeze (steps against kube-sim take milliseconds), it
 * is undone with `undo` and started again, up to 3 times. Returns the operation and the step it
 * was on.
 */
async function interruptMidway(ctx, request, undo) {
  const { api, portal } = ctx;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const { operation } = await api.post('/api/mesh/operations', request);
    const path = `/api/mesh/operations/${operation.id}`;
    let frozen = false;
    try {
      const seen = await waitFor(
        `operation ${operation.id} to pass its first step`,
        async () => {
          const { operation: op } = await api.get(path);
          if (!['planned', 'running'].includes(op.state)) return op;
          return (op.currentStep ?? 0) >= 1 ? op : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 20 },
      );
      if (seen.state === 'running') {
        portal.freezeCluster();
        frozen = true;
      }
      // The operation as the backend has it now that nothing can move it on.
      const { operation: op } = await api.get(path);
      const steps = op.plan.steps.length;
      const at = op.currentStep ?? 0;
      if (frozen && op.state === 'running' && at >= 1 && at < steps) {
        ctx.log(
          `attempt ${attempt}: "${op.summary}" frozen at step ${
            at + 1
          }/${steps} (${op.plan.steps[at].description}); killing the backend`,
        );
        await portal.restartBackend({ signal: 'SIGKILL' });
        frozen = false; // restartBackend thaws the cluster before the new backend starts
        return { operation: op, step: at };
      }
      if (frozen) {
        portal.thawCluster();
        frozen = false;
      }
      if (op.state !== 'running') {
        const final = await waitFor(
          `operation ${operation.id} to finish`,
          async () => {
            const { operation: o } = await api.get(path);
            return ['planned', 'running'].includes(o.state) ? undefined : o;
          },
          { timeoutMs: 120_000, intervalMs: 500 },
        );
        if (final.state !== 'succeeded') {
          throw new Error(
            `"${final.summary}" ended ${
              final.state
            } before it could be interrupted: ${final.error ?? ''}`,
          );
        }
      }
      ctx.log(
        `attempt ${attempt}: "${op.summary}" finished before the cluster was frozen; undoing it and trying again`,
      );
      await ctx.step('undo the finished operation', () => undo());
    } finally {
      if (frozen) portal.thawCluster();
    }
  }
  throw new Error(
    `${request.action} ${request.mesh} finished before the cluster could be frozen, 3 times`,
  );
}

/** Summaries of the operations the fleet checks ran, for the Operations tab's check. */
const fleetOperations = [];

scenarios.push(
  {
    name: 'Fleet: /mesh shows the grid with Istio installed on dev and its version',
    timeoutMs: 120_000,
    async run(ctx) {
      const { page, api } = ctx;
      await ctx.step('istio on dev', () => api.ensureIstio());
      const versions = await installedVersions(api, 'istio');
      if (!versions.length) throw new Error('istio is not installed on dev');
      await openFleet(ctx);
      const grid = page.getByTestId('fleet-grid');
      await see(
        grid.getByRole('columnheader', { name: 'Istio' }),
        'the grid has no Istio column',
      );
      await see(
        grid.getByRole('columnheader', { name: 'Linkerd' }),
        'the grid has no Linkerd column',
      );
      await see(
        grid.getByRole('rowheader').filter({ hasText: CLUSTER }),
        `the grid has no row for cluster ${CLUSTER}`,
      );
      await cellShowsVersions(page, 'istio', versions);
      await see(
        fleetCell(page, 'linkerd').getByRole('button', {
          name: 'Install',
          exact: true,
        }),
        'the Linkerd cell on dev offers no Install',
      );
      await ctx.screenshot('e2e-fleet-grid.png');
    },
  },

  {
    name: 'Fleet: an operation interrupted by a backend crash shows Revert, and reverting it from the UI leaves the cluster as before',
    timeoutMs: 600_000,
    async run(ctx) {
      const { page, api } = ctx;
      const version = (await supportedVersions(api, 'linkerd')).at(-1);
      const request = {
        action: 'install',
        mesh: 'linkerd',
        cluster: CLUSTER,
        version,
      };
      const uninstall = () =>
        api.runOperation({
          action: 'uninstall',
          mesh: 'linkerd',
          cluster: CLUSTER,
        });
      if ((await installedVersions(api, 'linkerd')).length) {
        await ctx.step('uninstall linkerd first (REST API)', uninstall);
      }
      const istioBefore = await installedVersions(api, 'istio');
      // The objects the install would touch, from its dry run, as the cluster holds them now.
      const { plan } = await ctx.step('dry run of the linkerd install', () =>
        api.post('/api/mesh/operations', { ...request, dryRun: true }),
      );
      const before = snapshotOfPlanKinds(ctx.kubeconfig, plan.steps);

      const { operation } = await ctx.step(
        'install linkerd (REST API) and kill the backend mid-way',
        () => interruptMidway(ctx, request, uninstall),
      );
      const path = `/api/mesh/operations/${operation.id}`;
      const interrupted = await waitFor(
        `operation ${operation.id} to be marked interrupted after the restart`,
        async () => {
          const detail = await api.get(path);
          return detail.operation.state === 'interrupted' ? detail : undefined;
        },
        // At startup, else at the next sweep a minute later.
        { timeoutMs: 150_000, intervalMs: 1000 },
      );
      const last = interrupted.log.at(-1)?.message ?? '';
      if (
        !/^Interrupted: backend instance .* stopped while running step/.test(
          last,
        )
      ) {
        throw new Error(`the interrupted operation's log ends "${last}"`);
      }
      const partly = snapshotOfPlanKinds(ctx.kubeconfig, plan.steps);
      if (setDifference(before, partly).added.length === 0) {
        throw new Error(
          'the interrupted install changed nothing on the cluster',
        );
      }

      await openFleet(ctx);
      const cell = fleetCell(page, 'linkerd');
      await see(
        cell.getByText(`Interrupted: ${operation.summary}`),
        `the Linkerd cell does not show "Interrupted: ${operation.summary}"`,
        60_000,
      );
      // The interrupted operation keeps the pair locked: Install waits for the revert.
      const install = cell.getByRole('button', {
        name: 'Install',
        exact: true,
      });
      await see(install, 'the Linkerd cell shows no Install button');
      if (!(await install.isDisabled())) {
        throw new Error(
          'Install is enabled on the Linkerd cell while the interrupted operation holds it',
        );
      }
      const open = cell.getByRole('button', { name: 'Resume or revert' });
      await see(open, 'the interrupted operation offers no "Resume or revert"');
      await cell.scrollIntoViewIfNeeded();
      await ctx.screenshot('e2e-fleet-interrupted.png');
      await open.click();

      const detail = page.getByRole('dialog', {
        name: `Operation ${operation.id}`,
      });
      await see(detail, `no "Operation ${operation.id}" dialog opened`);
      await see(
        detail.getByTestId('operation-state').getByText('interrupted'),
        'the operation dialog does not say interrupted',
      );
      await see(
        detail.getByRole('button', { name: 'Resume', exact: true }),
        'the interrupted operation offers no Resume',
      );
      const revert = detail.getByRole('button', {
        name: 'Revert',
        exact: true,
      });
      await see(revert, 'the interrupted operation offers no Revert');
      await revert.click();

      const dialog = page.getByRole('dialog', {
        name: `Revert operation ${operation.id}`,
      });
      await see(dialog, `no "Revert operation ${operation.id}" dialog opened`);
      const revertPlan = dialog.getByTestId('plan-preview');
      await see(revertPlan, 'the Revert dialog shows no plan', 90_000);
      await see(
        revertPlan.getByText(/it did not exist before/).first(),
        'the revert plan deletes nothing the install created',
      );
      const confirm = dialog.getByRole('button', {
        name: 'Confirm',
        exact: true,
      });
      await waitFor('Confirm to be enabled', () => confirm.isEnabled(), {
        timeoutMs: 30_000,
      });
      await page.waitForTimeout(500); // the button's colour transition
      await ctx.screenshot('e2e-fleet-revert-plan.png');
      await confirm.click();
      const log = dialog.getByTestId('operation-log');
      await see(log, 'no operation log after confirming the revert');
      await see(
        log.getByText('Operation reverted'),
        'the revert log did not reach "reverted"',
        240_000,
      );
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      // Back to the operation's own dialog, which reads it again.
      await see(
        detail.getByTestId('operation-state').getByText('reverted'),
        'the operation dialog does not say reverted after the revert',
      );
      await detail.getByRole('button', { name: 'Close', exact: true }).click();

      // As before: the same objects (names and uids) of every kind the install touched, Linkerd
      // not installed, Istio's versions unchanged.
      let after = [];
      await waitFor(
        'the cluster to hold what it held before the install',
        () => {
          after = snapshotOfPlanKinds(ctx.kubeconfig, plan.steps);
          return after.join('\n') === before.join('\n');
        },
        { timeoutMs: 60_000, intervalMs: 2000 },
      ).catch(() => {
        const { gone, added } = setDifference(before, after);
        throw new Error(
          `after the revert the cluster differs from before the install: ${
            added.length
          } added (${added.slice(0, 5).join('; ')}), ${gone.length} gone (${gone
            .slice(0, 5)
            .join('; ')})`,
        );
      });
      ctx.log(
        `cluster as before: the same ${
          before.length
        } objects (names, uids) of the ${
          planResources(plan.steps).length
        } kinds the install touches`,
      );
      await waitFor(
        'Install to be enabled on the Linkerd cell after the revert',
        () => install.isEnabled(),
        { timeoutMs: 60_000 },
      );
      if (await cell.getByText(/^Interrupted:/).count()) {
        throw new Error(
          'the Linkerd cell still shows the interrupted operation',
        );
      }
      if ((await installedVersions(api, 'linkerd')).length) {
        throw new Error('the API reports linkerd installed after the revert');
      }
      if (istioBefore.length)
        await cellShowsVersions(page, 'istio', istioBefore);
    },
  },

  {
    name: 'Fleet: install Linkerd on dev through the UI (form, plan, confirm, log), the grid shows it',
    timeoutMs: 360_000,
    async run(ctx) {
      const { page, api } = ctx;
      const versions = await supportedVersions(api, 'linkerd');
      const version = versions.at(-1);
      await openFleet(ctx);
      const summary = await runCellAction(ctx, {
        mesh: 'linkerd',
        button: 'Install',
        async fill(dialog) {
          const select = dialog.getByRole('combobox', { name: 'Version' });
          await see(select, 'the Install form has no Version field');
          const shown = (await select.innerText()).trim();
          if (shown !== version) {
            throw new Error(
              `the Install form offers version "${shown}", not the newest supported ${version}`,
            );
          }
        },
        planShot: 'e2e-fleet-install-plan.png',
        runningShot: 'e2e-fleet-running.png',
      });
      fleetOperations.push(summary);
      await cellShowsVersions(page, 'linkerd', [version]);
    },
  },

  {
    name: 'Fleet: upgrade Istio to the other supported version through the UI, then roll it back',
    timeoutMs: 600_000,
    async run(ctx) {
      const { page, api } = ctx;
      const before = await installedVersions(api, 'istio');
      const target = (await supportedVersions(api, 'istio'))
        .filter(v => !before.includes(v))
        .at(-1);
      if (!target) {
        throw new Error(
          `the istio adapter supports no version besides ${before.join(', ')}`,
        );
      }
      await openFleet(ctx);
      await cellShowsVersions(page, 'istio', before);
      let strategy;
      fleetOperations.push(
        await runCellAction(ctx, {
          mesh: 'istio',
          button: 'Upgrade',
          async fill(dialog) {
            const to = dialog.getByRole('combobox', { name: 'To version' });
            await see(to, 'the Upgrade form has no "To version" field');
            const shown = (await to.innerText()).trim();
            if (shown !== target) {
              throw new Error(
                `the Upgrade form proposes "${shown}", not ${target}`,
              );
            }
            strategy = (
              await dialog
                .getByRole('combobox', { name: 'Strategy' })
                .innerText()
            ).trim();
          },
          logShot: 'e2e-fleet-upgrade-log.png',
        }),
      );
      ctx.log(`istio upgraded to ${target} (${strategy})`);
      // Istio's canary upgrade moves the namespaces to the new revision and removes the old one in
      // the same operation: either way the cell ends with the new version alone.
      await cellShowsVersions(page, 'istio', [target]);
      await ctx.screenshot('e2e-fleet-upgraded.png');

      fleetOperations.push(
        await runCellAction(ctx, { mesh: 'istio', button: 'Rollback' }),
      );
      await cellShowsVersions(page, 'istio', before);
      const after = await installedVersions(api, 'istio');
      if (after.join(',') !== before.join(',')) {
        throw new Error(
          `after the rollback the API reports istio ${after.join(
            ', ',
          )}, not ${before.join(', ')}`,
        );
      }
    },
  },

  {
    name: 'Fleet: the Operations tab lists the operations run from the page',
    timeoutMs: 90_000,
    async run(ctx) {
      const { page } = ctx;
      if (!fleetOperations.length) {
        throw new Error('no fleet operation ran before this check');
      }
      await openFleet(ctx);
      await page.getByRole('tab', { name: 'Operations', exact: true }).click();
      const table = page.getByTestId('operations-table');
      await see(table, 'the Operations tab shows no operations table');
      for (const summary of fleetOperations) {
        const row = table.getByRole('row').filter({
          has: page.getByRole('button', { name: summary, exact: true }),
        });
        await see(row, `the operations table has no row "${summary}"`);
        const text = await row.first().innerText();
        if (!/\bsucceeded\b/.test(text) || !text.includes(CLUSTER)) {
          throw new Error(
            `the row of "${summary}" does not say succeeded on ${CLUSTER}: ${text.replace(
              /\s+/g,
              ' ',
            )}`,
          );
        }
      }
      await ctx.screenshot('e2e-fleet-operations.png');
    },
  },

  {
    name: 'Fleet: the Mesh comparison tab compares two runs of the benchmark profile',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, api } = ctx;
      // The Performance check stored one run of "e2e echo"; a comparison needs two. A second run
      // through the REST API (POST /api/mesh/benchmark/runs), as a platform engineer would.
      const profiles = await ctx.step('GET /api/mesh/benchmark/profiles', () =>
        api.get('/api/mesh/benchmark/profiles'),
      );
      const profile = (profiles.items ?? profiles).find(
        p => p.name === 'e2e echo',
      );
      if (!profile) {
        throw new Error(
          'no "e2e echo" benchmark profile (the Performance check creates it)',
        );
      }
      const started = await ctx.step('POST /api/mesh/benchmark/runs', () =>
        api.post('/api/mesh/benchmark/runs', { profileId: profile.id }),
      );
      const run = await waitFor(
        `benchmark run ${started.id} to finish`,
        async () => {
          const r = await api.get(`/api/mesh/benchmark/runs/${started.id}`);
          return ['queued', 'running'].includes(r.state) ? undefined : r;
        },
        { timeoutMs: 90_000, intervalMs: 1000 },
      );
      if (run.state !== 'succeeded') {
        throw new Error(
          `the second benchmark run ended ${run.state}: ${run.error ?? ''}`,
        );
      }
      await openFleet(ctx);
      await page
        .getByRole('tab', { name: 'Mesh comparison', exact: true })
        .click();
      const panel = page.locator('#mesh-tabpanel-comparison');
      const table = panel.getByTestId('comparison-table');
      const compare = panel.getByRole('button', {
        name: 'Compare',
        exact: true,
      });
      await see(
        table.or(compare),
        'the Mesh comparison tab shows neither a comparison nor its run picker',
        60_000,
      );
      if (!(await table.isVisible())) {
        // The picker shows before the comparison it may start on its own: give it the time.
        await table
          .waitFor({ state: 'visible', timeout: 15_000 })
          .catch(() => {});
      }
      if (!(await table.isVisible())) {
        // No comparison of its own: tick a run besides the baseline (unless the page ticked
        // one) and compare, as a user would.
        const ticked = panel.getByRole('checkbox', {
          checked: true,
          disabled: false,
        });
        const others = panel.getByRole('checkbox', {
          checked: false,
          disabled: false,
        });
        if ((await ticked.count()) === 0) {
          if ((await others.count()) === 0) {
            throw new Error(
              'the run picker offers no run to compare with the baseline',
            );
          }
          await others.first().check();
        }
        await compare.click();
      }
      await see(
        table,
        'the Mesh comparison tab shows no comparison table for two runs',
        60_000,
      );
      const rows = table.locator('[data-testid^="comparison-row-"]');
      await waitFor(
        'two comparison rows',
        async () => (await rows.count()) >= 2,
        {
          timeoutMs: 10_000,
        },
      ).catch(async () => {
        throw new Error(
          `the comparison table has ${await rows.count()} run rows, not 2`,
        );
      });
      await page
        .waitForLoadState('networkidle', { timeout: 10_000 })
        .catch(() => {});
      await ctx.screenshot('e2e-fleet-comparison.png', { fullPage: true });
    },
  },
);
