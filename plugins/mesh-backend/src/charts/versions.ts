import { compareSemver, parseSemver, satisfies, type SemVer } from './semver';
import type {
  MeshChartSource,
  MeshChartsDeclaration,
} from '@meshstage/plugin-mesh-node';

/** A mesh version split into its release channel (Linkerd's `edge`, `stable`) and numeric part. */
export interface ParsedMeshVersion {
  channel?: string;
  /** The numeric part as semver (`26.8.3`; `2.14.10`); undefined when it is not one. */
  semver?: SemVer;
}

const CHANNEL_VERSION = /^([a-z][a-z0-9]*)-(\d.*)$/;

/** Parses `1.30.3`, `v1.30.3`, `edge-26.8.3` or `stable-2.14.10`. */
export function parseMeshVersion(version: string): ParsedMeshVersion {
  const channel = CHANNEL_VERSION.exec(version);
  if (channel) {
    return {
      channel: channel[1],
      semver: parseSemver(channel[2]),
    };
  }
  return { semver: parseSemver(version) };
}

/**
 * Orders mesh versions: by channel (in `channelOrder`, unknown channels after, by name), then by
 * semver within a channel (`edge-26.10.1` after `edge-26.8.3`, which a string sort gets wrong).
 * Versions that do not parse go last, by string.
 */
export function compareMeshVersions(
  a: string,
  b: string,
  channelOrder: readonly string[] = [],
): number {
  const pa = parseMeshVersion(a);
  const pb = parseMeshVersion(b);
  if (pa.channel !== pb.channel) {
    const rank = (c?: string) => {
      if (c === undefined) return -1;
      const i = channelOrder.indexOf(c);
      return i === -1 ? channelOrder.length : i;
    };
    const byRank = rank(pa.channel) - rank(pb.channel);
    if (byRank !== 0) return byRank;
    return (pa.channel ?? '').localeCompare(pb.channel ?? '');
  }
  if (pa.semver && pb.semver) return compareSemver(pa.semver, pb.semver);
  if (pa.semver) return -1;
  if (pb.semver) return 1;
  return a.localeCompare(b);
}

/** Sorts versions oldest first with {@link compareMeshVersions}; returns a new array. */
export function sortMeshVersions(
  versions: Iterable<string>,
  channelOrder: readonly string[] = [],
): string[] {
  return [...versions].sort((a, b) => compareMeshVersions(a, b, channelOrder));
}

/**
 * Whether a chart source serves a mesh version: same channel (none for unchannelled sources),
 * and the numeric part in the source's semver range. Pre-releases (`1.30.0-beta.1`) match only a
 * range that names one, as semver ranges do.
 */
export function sourceServesVersion(
  source: Pick<MeshChartSource, 'channel' | 'versions'>,
  version: string,
): boolean {
  const parsed = parseMeshVersion(version);
  if (parsed.channel !== source.channel || !parsed.semver) return false;
  return satisfies(parsed.semver, source.versions);
}

/** The channel order of a declaration (none when its versions carry no channel). */
export function channelOrderOf(declaration: MeshChartsDeclaration): string[] {
  if (declaration.channelOrder) return declaration.channelOrder;
  return declaration.sources.flatMap(s => (s.channel ? [s.channel] : []));
}
