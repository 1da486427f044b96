/**
 * Whether this Node.js can run `meshstage bench`. Its load generator is built on undici 8, which
 * needs Node 22.19; `meshstage validate` runs on older releases (Debian 12's Node 20), so the
 * check is made only when the bench command is asked for, before its code loads.
 *
 * @returns the one-line reason it cannot, or undefined when it can
 */
export function benchNodeProblem(
  version: string = process.versions.node,
): string | undefined {
  const [major, minor] = version.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 19)) return undefined;
  return `bench needs Node.js 22.19 or newer (this is v${version}); validate runs on this one`;
}
