/**
 * Which images kube-sim runs as local processes, and how: configuration,
 * matched by repository (tags and digests ignored). Pure.
 */

/** How to run one image locally: its entrypoint and default arguments, as the image's ENTRYPOINT and CMD. */
export interface LocalImage {
  /** The local stand-in for the image's ENTRYPOINT, e.g. `[process.execPath, '/abs/packages/loadgen/bin/meshperf']`. */
  command: string[];
  /** The image's CMD: arguments used when the container gives no `args` (and no `command`). */
  args?: string[];
  /** Extra environment, under the container's own. */
  env?: Record<string, string>;
  /** Working directory (default: kube-sim's). */
  cwd?: string;
  /**
   * The name pods use for the entrypoint in `command` (default: the last
   * path segment of the last `command` word, e.g. `meshperf`). A container
   * `command` starting with it (or a path ending in it) runs `command` plus
   * the rest; any other container `command` runs as written.
   */
  entrypoint?: string;
}

/** Images run locally, keyed by repository (`meshstage/loadgen`); tags in keys are ignored too. */
export type LocalImages = Record<string, LocalImage>;

/** The repository of an image reference: without tag, digest and the `docker.io/` / `library/` defaults. */
export function imageRepository(image: string): string {
  let ref = image.trim().split('@')[0];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  // a colon after the last slash is a tag; before it, a registry port
  if (colon > slash) ref = ref.slice(0, colon);
  ref = ref.replace(/^(docker\.io|index\.docker\.io)\//, '');
  ref = ref.replace(/^library\//, '');
  return ref.toLowerCase();
}

/** The local configuration for an image, if it is run locally. */
export function matchLocalImage(
  images: LocalImages | undefined,
  image: string | undefined,
): LocalImage | undefined {
  if (!images || !image) return undefined;
  const repo = imageRepository(image);
  for (const [key, value] of Object.entries(images))
    if (imageRepository(key) === repo) return value;
  return undefined;
}

function basename(p: string): string {
  return p
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(c?js|mjs|ts)$/, '');
}

/**
 * The argv of a container run locally, with Kubernetes' rules for
 * command/args over ENTRYPOINT/CMD: no command and no args: entrypoint +
 * CMD; args only: entrypoint + args; command: see {@link LocalImage.entrypoint}.
 */
export function containerArgv(
  image: LocalImage,
  command: string[] | undefined,
  args: string[] | undefined,
): string[] {
  if (!command?.length)
    return [...image.command, ...(args ?? image.args ?? [])];
  const name =
    image.entrypoint ?? basename(image.command[image.command.length - 1] ?? '');
  if (basename(command[0]) === name)
    return [...image.command, ...command.slice(1), ...(args ?? [])];
  return [...command, ...(args ?? [])];
}

/**
 * Parses the `--local-image` flag value: `<image>=<command words...>`
 * (split on spaces) or `<image>=<JSON LocalImage>` (a value starting with `{`).
 */
export function parseLocalImageFlag(value: string): [string, LocalImage] {
  const eq = value.indexOf('=');
  const image = eq > 0 ? value.slice(0, eq).trim() : '';
  const rest = eq > 0 ? value.slice(eq + 1).trim() : '';
  if (!image || !rest)
    throw new Error(
      `invalid --local-image ${JSON.stringify(
        value,
      )}: want <image>=<command...>`,
    );
  if (rest.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rest);
    } catch {
      throw new Error(`invalid --local-image JSON for ${image}`);
    }
    const c = parsed as LocalImage;
    const words = (v: unknown) =>
      Array.isArray(v) && v.every(w => typeof w === 'string');
    if (
      !words(c.command) ||
      !c.command.length ||
      (c.args !== undefined && !words(c.args))
    )
      throw new Error(
        `invalid --local-image JSON for ${image}: want {"command": [...], "args"?: [...]}`,
      );
    return [image, c];
  }
  return [image, { command: rest.split(/\s+/) }];
}
