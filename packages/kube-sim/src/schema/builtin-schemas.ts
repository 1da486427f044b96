import { SchemaBuilder } from './builder';
import { defineApps } from './defs/apps';
import { defineCore } from './defs/core';
import { defineMeta } from './defs/meta';
import { defineOthers } from './defs/others';
import { defineExtra } from './defs/extra';
import { SchemaDefs } from './types';

let cached: SchemaDefs | undefined;

/** The component schemas of every built-in kind kube-sim serves, built once. */
export function builtinSchemas(): SchemaDefs {
  if (!cached) {
    const b = new SchemaBuilder();
    defineMeta(b);
    defineCore(b);
    defineApps(b);
    defineOthers(b);
    defineExtra(b);
    cached = b.defs;
  }
  return cached;
}

/** Name of the component schema for a built-in kind, e.g. io.k8s.api.apps.v1.Deployment. */
export function builtinSchemaName(
  group: string,
  version: string,
  kind: string,
): string | undefined {
  const defs = builtinSchemas();
  for (const [name, schema] of Object.entries(defs)) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (
      gvks?.some(
        g => g.group === group && g.version === version && g.kind === kind,
      )
    )
      return name;
  }
  return undefined;
}
