import { KubeConfig } from '@kubernetes/client-node';
import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { kubeCollectionPath } from '@meshstage/plugin-mesh-node';
import http from 'node:http';
import https from 'node:https';

/**
 * Loads a kubeconfig (the given file, else `KUBECONFIG` / `~/.kube/config`) and selects a
 * context. Throws with a one-line reason when the file or context is missing.
 */
export function loadKubeConfig(context: string, file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  if (!kc.getContextObject(context)) {
    throw new Error(
      `kubeconfig has no context "${context}" (contexts: ${
        kc
          .getContexts()
          .map(c => c.name)
          .join(', ') || 'none'
      })`,
    );
  }
  kc.setCurrentContext(context);
  return kc;
}

/**
 * A read-only {@link MeshClusterView} over a kubeconfig context: plain GETs with the
 * credentials and TLS settings client-node derives from the kubeconfig (tokens, client
 * certificates, exec plugins).
 */
export class KubeconfigClusterView implements MeshClusterView {
  readonly name: string;
  readonly #kc: KubeConfig;
  readonly #server: string;

  constructor(kc: KubeConfig) {
    this.#kc = kc;
    this.name = kc.getCurrentContext();
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`context "${this.name}" has no cluster`);
    this.#server = cluster.server.replace(/\/+$/, '');
  }

  async list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]> {
    const url = new URL(
      `${this.#server}${kubeCollectionPath(resource, options?.namespace)}`,
    );
    if (options?.labelSelector) {
      url.searchParams.set('labelSelector', options.labelSelector);
    }
    const { status, body } = await this.#get(url);
    if (status === 404) return []; // a CRD that is not installed
    if (status < 200 || status >= 300) {
      // `code` and the Status message as MeshClusterView asks: a 403 for one kind is not fatal.
      throw Object.assign(
        new Error(
          `GET ${url.pathname} failed: ${status} ${body.slice(0, 200)}`,
        ),
        { code: status, statusMessage: statusMessage(body) },
      );
    }
    const list = JSON.parse(body) as {
      kind?: string;
      items?: Array<Record<string, unknown>>;
    };
    const apiVersion = resource.group
      ? `${resource.group}/${resource.version}`
      : resource.version;
    const kind = list.kind?.replace(/List$/, '') ?? '';
    return (list.items ?? []).map(
      item => ({ apiVersion, kind, ...item } as unknown as T),
    );
  }

  async #get(url: URL): Promise<{ status: number; body: string }> {
    const opts: https.RequestOptions = {
      method: 'GET',
      headers: { Accept: 'application/json' },
    };
    await this.#kc.applyToHTTPSOptions(opts);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, opts, res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.setTimeout(30_000, () =>
        req.destroy(new Error(`timeout reading ${url.pathname}`)),
      );
      req.on('error', reject);
      req.end();
    });
  }
}

/** The message of a Kubernetes `Status` body, if it is one. */
function statusMessage(body: string): string | undefined {
  try {
    const status = JSON.parse(body);
    return typeof status?.message === 'string' ? status.message : undefined;
  } catch {
    return undefined;
  }
}
