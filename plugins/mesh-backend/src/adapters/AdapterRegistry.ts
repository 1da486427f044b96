import type { MeshAdapterInfo } from '@meshstage/plugin-mesh-common';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';

const ID_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The adapters registered through `meshAdaptersExtensionPoint`, sorted by id. */
export class AdapterRegistry {
  readonly #adapters = new Map<string, MeshAdapter>();

  /**
   * Adds adapters. A duplicate or malformed id is a wiring mistake between modules, so it stops
   * the backend at startup rather than picking one silently.
   */
  add(...adapters: MeshAdapter[]): void {
    for (const adapter of adapters) {
      if (!ID_PATTERN.test(adapter.id)) {
        throw new Error(
          `Mesh adapter id '${adapter.id}' is invalid: use lower-case letters, digits and dashes`,
        );
      }
      if (this.#adapters.has(adapter.id)) {
        throw new Error(`Mesh adapter '${adapter.id}' is registered twice`);
      }
      this.#adapters.set(adapter.id, adapter);
    }
  }

  list(): MeshAdapter[] {
    return [...this.#adapters.values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
  }

  get(id: string): MeshAdapter | undefined {
    return this.#adapters.get(id);
  }

  ids(): string[] {
    return this.list().map(a => a.id);
  }

  info(): MeshAdapterInfo[] {
    return this.list().map(a => ({
      id: a.id,
      displayName: a.displayName,
      supportedVersions: a.supportedVersions(),
      lifecycle: Boolean(a.plan),
      sampleApps: (a.sampleApps?.() ?? []).map(app => ({
        id: app.id,
        displayName: app.displayName,
        description: app.description,
        defaultNamespace: app.defaultNamespace,
      })),
    }));
  }
}
