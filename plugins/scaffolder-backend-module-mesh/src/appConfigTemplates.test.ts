import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
// The portal's catalog, as packages/backend installs it; resolved from the workspace (see
// __testUtils__/meshTestBackend.ts on undeclared test imports).
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { eventually } from './__testUtils__/meshTestBackend';

// The template locations of app-config.yaml in the real catalog backend: they parse, the catalog
// rules admit them, and the catalog lists the three Templates (what the portal's Create page
// shows).
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
/** File locations are relative to the backend process, which runs in packages/backend. */
const BACKEND_DIR = path.join(ROOT, 'packages/backend');

describe("app-config.yaml's template locations", () => {
  it('give the catalog the three MeshStage templates', async () => {
    const appConfig = parseYaml(
      fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
    );
    const locations = (
      appConfig.catalog.locations as { type: string; target: string }[]
    )
      .filter(l => l.target.includes('examples/templates/'))
      .map(l => ({ ...l, target: path.resolve(BACKEND_DIR, l.target) }));
    expect(locations.map(l => path.relative(ROOT, l.target)).sort()).toEqual([
      'examples/templates/install-or-upgrade-mesh/template.yaml',
      'examples/templates/new-meshed-service/template.yaml',
      'examples/templates/onboard-existing-service/template.yaml',
    ]);

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        scaffolderEntityModel,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: appConfig.catalog.rules,
              locations,
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
    try {
      const templates = await eventually(async () => {
        const res = await fetch(
          `http://localhost:${
            (backend.server.address() as { port: number }).port
          }/api/catalog/entities/by-query?filter=kind=template`,
        );
        const { items } = await res.json();
        return items?.length === 3 ? items : undefined;
      }, 90_000);
      expect(
        templates
          .map((e: any) => `${e.metadata.name}: ${e.metadata.title}`)
          .sort(),
      ).toEqual([
        'install-or-upgrade-mesh: Install or upgrade a mesh on a cluster',
        'new-meshed-service: New meshed service',
        'onboard-existing-service: Onboard an existing service to a mesh',
      ]);
      expect(templates.every((e: any) => e.spec.steps.length > 0)).toBe(true);
    } finally {
      await backend.stop();
    }
  });
});
