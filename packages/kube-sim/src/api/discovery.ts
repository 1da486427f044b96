import { createHash } from 'node:crypto';
import { JsonObject } from '../util/objects';
import { Registry } from './registry';
import { apiVersionOf, ResourceType } from './types';

function scope(t: ResourceType): string {
  return t.namespaced ? 'Namespaced' : 'Cluster';
}

function aggregatedResource(t: ResourceType): JsonObject {
  const r: JsonObject = {
    resource: t.plural,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: scope(t),
    singularResource: t.singular,
    verbs: t.verbs,
  };
  if (t.shortNames.length) r.shortNames = t.shortNames;
  if (t.categories.length) r.categories = t.categories;
  if (t.subresources.length) {
    r.subresources = t.subresources.map(s => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return r;
}

/** apidiscovery.k8s.io APIGroupDiscoveryList for `/api` (core) or `/apis` (named groups). */
export function aggregatedDiscovery(
  registry: Registry,
  core: boolean,
  apiVersion = 'apidiscovery.k8s.io/v2',
): JsonObject {
  const items: JsonObject[] = [];
  const groups = core ? [{ name: '', versions: ['v1'] }] : registry.groups();
  for (const g of groups) {
    items.push({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map(v => ({
        version: v,
        resources: registry.resourcesIn(g.name, v).map(aggregatedResource),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items };
}

/** Legacy `/api`: APIVersions. */
export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(
  name: string,
  versions: string[],
  preferred: string,
): JsonObject {
  return {
    name,
    versions: versions.map(v => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: {
      groupVersion: `${name}/${preferred}`,
      version: preferred,
    },
  };
}

/** Legacy `/apis`: APIGroupList. */
export function apiGroupList(registry: Registry): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .map(g => groupEntry(g.name, g.versions, g.preferredVersion)),
  };
}

/** `/apis/<group>`: APIGroup, or undefined for an unknown group. */
export function apiGroup(
  registry: Registry,
  group: string,
): JsonObject | undefined {
  const g = registry.groups().find(x => x.name === group);
  if (!g) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...groupEntry(g.name, g.versions, g.preferredVersion),
  };
}

function storageVersionHash(t: ResourceType): string {
  return createHash('sha256')
    .update(`${t.group}/${t.version}/${t.kind}`)
    .digest('base64')
    .slice(0, 11);
}

/** `/api/v1`, `/apis/<group>/<version>`: APIResourceList, or undefined when not served. */
export function apiResourceList(
  registry: Registry,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = registry.resourcesIn(group, version);
  if (types.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const t of types) {
    const r: JsonObject = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames.length) r.shortNames = t.shortNames;
    if (t.categories.length) r.categories = t.categories;
    r.storageVersionHash = storageVersionHash(t);
    resources.push(r);
    for (const s of t.subresources) {
      const sr: JsonObject = {
        name: `${t.plural}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      };
      if (s.group !== t.group || s.version !== t.version) {
        sr.group = s.group;
        sr.version = s.version;
      }
      resources.push(sr);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources,
  };
}
