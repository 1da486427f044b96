import type { MeshChartSource } from '@meshstage/plugin-mesh-node';
import type { ChartsConfig } from './config';
import { normalize } from './ChartIndexCache';
import type { RepositoryAccess } from './oci';

/** Where a chart source is read from, after config overrides and the mirror. */
export interface EffectiveRepository {
  /** HTTP Helm repository URL, or `oci://` reference (charts are `<url>/<name>`). */
  url: string;
  kind: 'http' | 'oci';
  /** What decided it. */
  via: 'config' | 'mirror' | 'vendor';
  /** The vendor's documented repository (the declaration's default). */
  vendor: string;
  /** Credentials and transport (OCI), from the repository's config entry or the mirror's. */
  access?: RepositoryAccess;
}

/**
 * The repository a mesh's chart source is read from: `mesh.charts.repositories.<mesh>.<source>`,
 * else `mesh.charts.repositories.<mesh>` (a string, for every source of the mesh), else
 * `<mirror>/<mesh>/<source id>`, else the vendor's repository the adapter declares.
 */
export function effectiveRepository(
  mesh: string,
  source: MeshChartSource,
  config: Pick<ChartsConfig, 'repositories' | 'mirror'> &
    Partial<Pick<ChartsConfig, 'access'>>,
): EffectiveRepository {
  const override = config.repositories[mesh];
  const configured =
    typeof override === 'string' ? override : override?.[source.id];
  let url: string;
  let via: EffectiveRepository['via'];
  if (configured) {
    url = configured;
    via = 'config';
  } else if (config.mirror) {
    url = `${config.mirror}/${mesh}/${source.id}`;
    via = 'mirror';
  } else {
    url = source.repository;
    via = 'vendor';
  }
  url = normalize(url);
  let access: RepositoryAccess | undefined;
  if (via === 'config') access = config.access?.[url];
  if (via === 'mirror') access = config.access?.[normalize(config.mirror!)];
  return {
    url,
    kind: url.startsWith('oci://') ? 'oci' : 'http',
    via,
    vendor: normalize(source.repository),
    ...(access ? { access } : {}),
  };
}

/**
 * The URL of an archive an index entry names: relative URLs resolve against the repository the
 * index was read from; absolute ones are used as they are, except that an archive on the vendor's
 * repository is fetched from the mirror or override instead (an air-gapped site reaches only its
 * mirror, whose copied index may still name the vendor's host).
 */
export function archiveUrl(
  entryUrl: string,
  repository: EffectiveRepository,
): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(entryUrl)) {
    return new URL(entryUrl, `${repository.url}/`).toString();
  }
  if (
    repository.via !== 'vendor' &&
    entryUrl.startsWith(`${repository.vendor}/`)
  ) {
    return `${repository.url}/${entryUrl.slice(repository.vendor.length + 1)}`;
  }
  return entryUrl;
}
