import type { Finding, FindingSeverity } from '@meshstage/plugin-mesh-common';
import { findingDocsUrl, severityAtLeast } from '@meshstage/plugin-mesh-common';
import {
  ISTIO_MESH_CONFIG,
  ISTIO_MESH_NETWORKS,
} from '@meshstage/plugin-mesh-backend-module-istio';
import type { MeshAdapter, MeshClusterView } from '@meshstage/plugin-mesh-node';
import {
  applySuppressions,
  ENGINE_CODES,
  formatJson,
  formatText,
  listManifestFiles,
  ManifestObject,
  parseSuppression,
  readSettingsFile,
  SettingsFileError,
  SettingsFileKind,
  Suppression,
  toSarif,
  validate,
} from '@meshstage/validation';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  decodeFileText,
  formatSize,
  MAX_INPUT_FILE_BYTES,
  type TextProblem,
} from './fileText';

/** What the command writes to and where it runs; injected so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative paths are resolved against and printed relative to. */
  cwd: string;
  /** Opens a cluster by kubeconfig context. */
  openCluster(
    context: string,
    kubeconfig?: string,
  ): MeshClusterView | Promise<MeshClusterView>;
  adapters: readonly MeshAdapter[];
}

/** A usage or input problem: exit code 2 with a one-line reason. */
export class UsageError extends Error {}

type Format = 'text' | 'json' | 'sarif';
type FailOn = FindingSeverity | 'never';

interface ValidateArgs {
  paths: string[];
  cluster?: string;
  kubeconfig?: string;
  format: Format;
  failOn: FailOn;
  suppressions: Suppression[];
  meshConfig?: string;
  meshNetworks?: string;
}

export const VALIDATE_USAGE = `Usage: meshstage validate [files or directories...] [options]

Validates service-mesh configuration (Istio, Linkerd and generic Kubernetes rules).

Options:
  --cluster <context>     also read the live configuration of this kubeconfig context; files
                          override cluster objects with the same identity
  --kubeconfig <file>     kubeconfig file (default: KUBECONFIG or ~/.kube/config)
  --format <f>            text (default), json or sarif
  --fail-on <level>       exit 1 on findings at or above: error (default), warning, info, never
  --suppress <CODE[=Kind/namespace/name]>
                          mark matching findings suppressed (repeatable; * is a wildcard)
  --mesh-config <file>    Istio MeshConfig YAML (as istioctl's --meshConfigFile): rootNamespace,
                          defaultConfig, ingress and provider settings; default: the cluster's
                          istio ConfigMap, else Istio's defaults
  --mesh-networks <file>  Istio MeshNetworks YAML (as istioctl's --meshNetworksFile)
  -h, --help              show this help

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 bad usage or input.
`;

function parseArgs(argv: string[]): ValidateArgs | 'help' {
  const args: ValidateArgs = {
    paths: [],
    format: 'text',
    failOn: 'error',
    suppressions: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--'))
        throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--cluster':
        args.cluster = value();
        break;
      case '--kubeconfig':
        args.kubeconfig = value();
        break;
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') {
          throw new UsageError(
            `--format must be text, json or sarif, not "${f}"`,
          );
        }
        args.format = f;
        break;
      }
      case '--fail-on': {
        const f = value();
        if (!['error', 'warning', 'info', 'never'].includes(f)) {
          throw new UsageError(
            `--fail-on must be error, warning, info or never, not "${f}"`,
          );
        }
        args.failOn = f as FailOn;
        break;
      }
      case '--mesh-config':
        args.meshConfig = value();
        break;
      case '--mesh-networks':
        args.meshNetworks = value();
        break;
      case '--suppress': {
        const s = parseSuppression(value());
        if (!s.code)
          throw new UsageError(
            '--suppress needs a code, e.g. MS0201 or MS0201=VirtualService/shop/*',
          );
        args.suppressions.push(s);
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        args.paths.push(arg);
    }
  }
  if (args.paths.length === 0 && !args.cluster) {
    throw new UsageError(
      'nothing to validate: give files or directories, or --cluster <context>',
    );
  }
  return args;
}

/** Expands directories (recursively) into their manifest files, sorted, and checks each path. */
async function collectFiles(paths: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      throw new UsageError(`cannot read ${p}: no such file or directory`);
    }
    if (stat.isDirectory()) out.push(...(await listManifestFiles(abs)));
    else out.push(abs);
  }
  return [...new Set(out)];
}

function displayPath(abs: string, cwd: string): string {
  return (
    path.relative(cwd, abs).split(path.sep).join('/') || path.basename(abs)
  );
}

/**
 * Reads a mesh settings file (`--mesh-config`, `--mesh-networks`) as the mesh would: a value the
 * mesh rejects is a usage error naming the field and line; fields it ignores are warned about.
 */
async function readSettings(
  flag: string,
  file: string,
  kind: SettingsFileKind,
  io: CliIo,
): Promise<ManifestObject> {
  const abs = path.resolve(io.cwd, file);
  const shown = displayPath(abs, io.cwd);
  const { text, problem } = decodeFileText(
    await readInputFile(abs, `${flag}: ${file}`),
  );
  if (problem)
    throw new UsageError(
      `${flag} ${shown}:${problem.line}:${problem.column}: ${problem.reason}`,
    );
  try {
    const { object, warnings } = readSettingsFile(shown, text, kind);
    for (const w of warnings) {
      io.stderr(
        `meshstage: warning: ${flag} ${shown}:${w.line}:${w.column}: ${w.field}: ${w.message}, ignored (as Istio does)\n`,
      );
    }
    return object;
  } catch (e) {
    if (e instanceof SettingsFileError)
      throw new UsageError(`${flag} ${e.message}`);
    // The YAML reader's own refusals (an alias bomb, nesting too deep) are bad input too.
    throw new UsageError(
      `${flag} ${shown}: invalid YAML: ${
        String((e as Error)?.message).split('\n')[0]
      }`,
    );
  }
}

/**
 * A file's bytes, refused with a one-line reason when it cannot be read, is a directory or is
 * larger than {@link MAX_INPUT_FILE_BYTES}.
 */
async function readInputFile(abs: string, shown: string): Promise<Buffer> {
  try {
    const stat = await fs.stat(abs);
    if (stat.isDirectory())
      throw new UsageError(`cannot read ${shown}: it is a directory`);
    if (stat.size > MAX_INPUT_FILE_BYTES)
      throw new UsageError(
        `${shown} is ${formatSize(stat.size)}, over the limit of ${formatSize(
          MAX_INPUT_FILE_BYTES,
        )} for one file`,
      );
    return await fs.readFile(abs);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `cannot read ${shown}: ${
        (e as NodeJS.ErrnoException).code ?? (e as Error).message
      }`,
    );
  }
}

/**
 * An MS0001 finding for a manifest file that is not UTF-8 text (or holds a NUL byte): the file is
 * still validated as read (invalid sequences as U+FFFD), but the finding fails the run, as
 * `kubectl apply` would refuse the file.
 */
function encodingFinding(file: string, problem: TextProblem): Finding {
  return {
    code: ENGINE_CODES.yamlSyntax.code,
    severity: ENGINE_CODES.yamlSyntax.severity,
    message: `Invalid YAML: ${problem.reason} (a manifest must be UTF-8 text without NUL bytes; the rest of the file is still validated)`,
    source: { file, line: problem.line, column: problem.column },
    docs: findingDocsUrl(ENGINE_CODES.yamlSyntax.code),
  };
}

/**
 * `meshstage validate`: reads files and/or a cluster, runs every analyzer, prints the report and
 * returns the exit code.
 */
export async function runValidate(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed === 'help') {
    io.stdout(VALIDATE_USAGE);
    return 0;
  }
  const files = await collectFiles(parsed.paths, io.cwd);
  const encodingFindings: Finding[] = [];
  const manifests = [];
  // One file at a time: each may be up to the size limit.
  for (const f of files) {
    const file = displayPath(f, io.cwd);
    const { text, problem } = decodeFileText(await readInputFile(f, file));
    if (problem) encodingFindings.push(encodingFinding(file, problem));
    manifests.push({ file, text });
  }
  const settings: ManifestObject[] = [];
  if (parsed.meshConfig)
    settings.push(
      await readSettings(
        '--mesh-config',
        parsed.meshConfig,
        ISTIO_MESH_CONFIG,
        io,
      ),
    );
  if (parsed.meshNetworks)
    settings.push(
      await readSettings(
        '--mesh-networks',
        parsed.meshNetworks,
        ISTIO_MESH_NETWORKS,
        io,
      ),
    );
  let cluster: MeshClusterView | undefined;
  if (parsed.cluster) {
    try {
      cluster = await io.openCluster(
        parsed.cluster,
        parsed.kubeconfig && path.resolve(io.cwd, parsed.kubeconfig),
      );
    } catch (e) {
      throw new UsageError(
        `cannot use cluster "${parsed.cluster}": ${(e as Error).message}`,
      );
    }
  }
  let result;
  try {
    result = await validate(
      { files: manifests, cluster, settings },
      { adapters: io.adapters, suppressions: parsed.suppressions },
    );
  } catch (e) {
    // Only the cluster reads can fail here; analysis itself never throws.
    throw new UsageError(
      `cannot read cluster "${parsed.cluster}": ${(e as Error).message}`,
    );
  }
  const { codes } = result;
  const findings = [
    ...applySuppressions(
      encodingFindings,
      () => undefined,
      parsed.suppressions,
    ),
    ...result.findings,
  ];
  if (parsed.format === 'json') io.stdout(formatJson(findings));
  else if (parsed.format === 'sarif')
    io.stdout(`${JSON.stringify(toSarif(findings, { codes }), null, 2)}\n`);
  else io.stdout(formatText(findings));
  const failOn = parsed.failOn;
  const failing =
    failOn !== 'never' &&
    findings.some(f => !f.suppressed && severityAtLeast(f.severity, failOn));
  return failing ? 1 : 0;
}
