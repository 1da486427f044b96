/**
 * The named exports of a module loaded with `import()`. The bundle (and jest) hand them over as
 * they are; but when the bin falls back to the TypeScript sources, Node's `import()` of a module
 * the Node transform compiled to CommonJS shows its exports only under `default`.
 */
export function chunkExports<T extends object>(mod: T): T {
  const compiled = (mod as { default?: T }).default;
  const onlyDefault = Object.keys(mod).every(k => k === 'default');
  return onlyDefault && compiled ? compiled : mod;
}
