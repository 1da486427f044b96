import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type {
  BenchmarkComparison,
  BenchmarkProfile,
  BenchmarkProfileInput,
  BenchmarkRun,
  BenchmarkRunView,
  EntityMeshStatus,
  LifecycleRequest,
  MeshStatus,
  OperationDetail,
  OperationEnvelope,
  PlanPreview,
  ValidationResponse,
} from '@meshstage/plugin-mesh-common';
import { MeshApiError } from './MeshApiError';

/** A cluster as `GET /clusters` lists it. @public */
export interface MeshClusterInfo {
  name: string;
  reachable: boolean;
  error?: string;
}

/** The body of `POST /validate`. @public */
export interface MeshValidateRequest {
  files: { name: string; content: string }[];
  cluster?: string;
  meshes?: string[];
  suppress?: string[];
}

/** What {@link MeshApiClient} needs. @public */
export interface MeshApiClientOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /**
   * Whose request it is: the user who runs the template (`ctx.getInitiatorCredentials`), so the
   * mesh backend checks that user's permissions and audits that user. Asked again for every
   * request, because a template may wait for an operation for a long time.
   */
  credentials: () => Promise<BackstageCredentials>;
}

type Query = Record<string, string | undefined>;

/**
 * The few routes of the mesh backend's REST API (`/api/mesh`, see its `openapi.yaml`) that the
 * scaffolder actions use, over HTTP with a token issued on behalf of the user who runs the
 * template. Any non-2xx answer is a {@link MeshApiError} carrying the backend's message.
 * @public
 */
export class MeshApiClient {
  constructor(private readonly options: MeshApiClientOptions) {}

  /** Sends one request; resolves with the parsed JSON body of a 2xx answer. */
  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; query?: Query } = {},
  ): Promise<T> {
    const { discovery, auth, credentials } = this.options;
    const baseUrl = await discovery.getBaseUrl('mesh');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await credentials(),
      targetPluginId: 'mesh',
    });
    const query = Object.entries(options.query ?? {}).filter(
      (e): e is [string, string] => e[1] !== undefined,
    );
    const url = `${baseUrl}${path}${
      query.length ? `?${new URLSearchParams(query)}` : ''
    }`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(options.body === undefined
            ? {}
            : { 'Content-Type': 'application/json' }),
        },
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      throw new MeshApiError(
        `Could not reach the mesh backend at ${baseUrl} (${method} ${path}): ${
          cause?.message ?? (error as Error).message
        }`,
        0,
      );
    }
    const text = await res.text();
    if (!res.ok)
      throw MeshApiError.fromResponse(method, path, res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The plan of a lifecycle request and its diff; changes nothing (`dryRun: true`). */
  planOperation(request: LifecycleRequest): Promise<PlanPreview> {
    return this.request('POST', '/operations', {
      body: { ...request, dryRun: true },
    });
  }

  /** Records and starts a lifecycle operation (202). */
  startOperation(request: LifecycleRequest): Promise<OperationEnvelope> {
    return this.request('POST', '/operations', { body: request });
  }

  /** One operation with its plan and step log. */
  getOperation(id: string): Promise<OperationDetail> {
    return this.request('GET', `/operations/${encodeURIComponent(id)}`);
  }

  /** The entity's pods per cluster and the proxies in them. */
  getEntityStatus(ref: {
    kind: string;
    namespace: string;
    name: string;
  }): Promise<EntityMeshStatus> {
    const part = encodeURIComponent;
    return this.request(
      'GET',
      `/entity/${part(ref.kind)}/${part(ref.namespace)}/${part(
        ref.name,
      )}/status`,
    );
  }

  /** The configured clusters, each probed. */
  async listClusters(): Promise<MeshClusterInfo[]> {
    return (
      await this.request<{ items: MeshClusterInfo[] }>('GET', '/clusters')
    ).items;
  }

  /** The status of one mesh on one cluster (one entry). */
  async getMeshStatus(cluster: string, mesh: string): Promise<MeshStatus[]> {
    return (
      await this.request<{ items: MeshStatus[] }>('GET', '/status', {
        query: { cluster, mesh },
      })
    ).items;
  }

  /** Every stored performance profile. */
  async listProfiles(): Promise<BenchmarkProfile[]> {
    return (
      await this.request<{ items: BenchmarkProfile[] }>(
        'GET',
        '/benchmark/profiles',
      )
    ).items;
  }

  /** Queues a run of a stored profile (`profileId`) or an inline one (`profile`). */
  startRun(body: {
    profileId?: string;
    profile?: BenchmarkProfileInput;
    mesh?: string;
    meshVersion?: string;
    cluster?: string;
  }): Promise<BenchmarkRun> {
    return this.request('POST', '/benchmark/runs', { body });
  }

  /** One run, with its result summary once finished. */
  getRun(id: string): Promise<BenchmarkRunView> {
    return this.request('GET', `/benchmark/runs/${encodeURIComponent(id)}`);
  }

  /** Cancels a queued or running run. */
  cancelRun(id: string): Promise<BenchmarkRunView> {
    return this.request(
      'POST',
      `/benchmark/runs/${encodeURIComponent(id)}/cancel`,
    );
  }

  /** Runs side by side against the first (the baseline). */
  compareRuns(runIds: string[]): Promise<BenchmarkComparison> {
    return this.request('GET', '/benchmark/compare', {
      query: { runs: runIds.join(',') },
    });
  }

  /** Validates files (optionally merged over a cluster's live objects) with every adapter's rules. */
  validate(body: MeshValidateRequest): Promise<ValidationResponse> {
    return this.request('POST', '/validate', { body });
  }
}
