export interface Config {
  /**
   * MeshStage's mesh backend. Clusters are not configured here: they come from the Kubernetes
   * plugin's `kubernetes.clusterLocatorMethods` (entries of `type: config`).
   */
  mesh?: {
    /**
     * The longest a single call to one cluster may take (a list, a `/version` probe) before that
     * cluster is reported with an error; one adapter's whole detection on a cluster gets three
     * times this. Keeps one unreachable cluster from holding up a page. Defaults to 5 seconds.
     *
     * A Backstage duration: a string such as `'5s'` or `'PT5S'`, or an object such as
     * `{ seconds: 5 }`.
     */
    clusterTimeout?:
      | string
      | {
          milliseconds?: number;
          seconds?: number;
          minutes?: number;
        };

    /**
     * How requests to clusters are retried. Transient failures are tried again with exponential
     * backoff and jitter: 429 (after its `Retry-After`), 500, 502, 503, 504, refused, reset or cut
     * connections, and timeouts (each attempt bounded by `clusterTimeout`). Only requests that may
     * land twice are repeated on a failure that may have come after the change: reads, server-side
     * apply, merge patches, deletes and creates of a named object; other writes only when the
     * server surely did not serve them (429, refused connection). Refusals (400, 401, 403, 404,
     * 409, 422) fail at once with the API server's message. Reads made for pages retry within one
     * `clusterTimeout`; lifecycle writes within `budget`. An operation step whose requests needed
     * retries says so in its log line (attempts, and why each failed).
     */
    clusterRetry?: {
      /** Attempts in all, the first included; 1 turns retries off. Defaults to 4. */
      attempts?: number;
      /**
       * Backoff before the first retry; it doubles with each retry. Defaults to 250 ms. A
       * Backstage duration (`'250ms'`, `{ milliseconds: 250 }`).
       */
      initialDelay?:
        | string
        | { milliseconds?: number; seconds?: number; minutes?: number };
      /** The longest backoff between two attempts. Defaults to 4 seconds. */
      maxDelay?:
        | string
        | { milliseconds?: number; seconds?: number; minutes?: number };
      /**
       * The longest a server's `Retry-After` is waited out (a longer one is waited this long).
       * Defaults to 10 seconds.
       */
      maxRetryAfter?:
        | string
        | { milliseconds?: number; seconds?: number; minutes?: number };
      /** No retry starts later than this after the first attempt. Defaults to 30 seconds. */
      budget?:
        | string
        | { milliseconds?: number; seconds?: number; minutes?: number };
    };

    /**
     * Decisions on read permissions (`mesh.status.read`, `mesh.validation.read`, the catalog's
     * `catalog.entity.read` of the entity a route is about, ...) are reused for a short while per
     * caller and token, as a Kubernetes API server's webhook authorizer does, so a Mesh tab
     * polling its status does not ask the permission backend each time. Decisions on every other
     * permission (each lifecycle action, scans, runs, profile changes) are asked for on each
     * request. A policy change reaches read routes within `ttl`.
     */
    readPermissionCache?: {
      /** `false` asks the permission backend on every request. Defaults to `true`. */
      enabled?: boolean;
      /**
       * How long a decision is reused. Defaults to 10 seconds. A Backstage duration (`'10s'`,
       * `{ seconds: 10 }`).
       */
      ttl?:
        | string
        | { milliseconds?: number; seconds?: number; minutes?: number };
    };

    /**
     * The in-memory view of each cluster that status, entity status, findings, topology and the
     * fleet page read from: the first read of a resource type lists it and keeps it current with a
     * watch (resumed from its resourceVersion, relisted on 410 Gone), so a page never waits on a
     * cluster. Lifecycle planning, drift checks and validation scans read the cluster directly.
     * `GET /api/mesh/clusters` reports what each view holds.
     */
    watchCache?: {
      /** `false` sends every read to the cluster. Defaults to `true`. */
      enabled?: boolean;
      /**
       * The most objects one resource type of one cluster may have in the view (all namespaces);
       * a type with more is read from the cluster on each request instead. Defaults to 50000.
       */
      maxObjectsPerResource?: number;
      /**
       * A resource type nobody has read for this long is no longer watched. Defaults to 30
       * minutes. A Backstage duration (`'30m'`, `{ minutes: 30 }`).
       */
      idleTimeout?:
        | string
        | {
            seconds?: number;
            minutes?: number;
            hours?: number;
          };
    };

    /**
     * The vendors' Helm charts: where the control planes the adapters install come from. Each
     * adapter declares its vendor's charts and repositories (Istio: `base` and `istiod` from
     * https://istio-release.storage.googleapis.com/charts; Linkerd: `linkerd-crds` and
     * `linkerd-control-plane` from https://helm.linkerd.io/stable and https://helm.linkerd.io/edge);
     * these keys override them. The installable versions are read from the repositories'
     * `index.yaml` (cached in memory and under `cacheDir`, re-read on `indexRefresh`) and filtered
     * by the adapter's compatibility range; plans render the charts with the real `helm template`.
     */
    charts?: {
      /**
       * `helm` (the default): the vendors' charts, rendered by `helm template`. `builtin`: the
       * adapters' own renderers, offline (the development cluster; `app-config.yaml` sets it).
       */
      source?: 'helm' | 'builtin';
      /**
       * Repository overrides, by mesh id: a URL for every chart source of the mesh
       * (`istio: https://charts.corp/istio`), or one per source id (`linkerd: { stable: ..., edge:
       * ... }`). An HTTP(S) Helm repository (its `index.yaml` is read), or an `oci://` reference
       * (charts are `<ref>/<chart>`; their versions are the registry's tags, read through the OCI
       * distribution API, and archives are pulled with `helm pull`). A URL may be given as an
       * object with the OCI registry's credentials: `{ url: oci://..., username, password }` or
       * `{ url, token }`, and `plainHttp`.
       */
      repositories?: {
        [mesh: string]:
          | string
          | {
              /** An `oci://host[:port]/path` reference (charts at `<url>/<chart>`). */
              url: string;
              /**
               * User name for the registry; needs `password`. Sent as Basic auth to the registry's
               * token endpoint (or to the registry when it asks for Basic).
               */
              username?: string;
              /**
               * The registry password (or access token used as one); needs `username`.
               * @visibility secret
               */
              password?: string;
              /**
               * A registry bearer token, sent as `Authorization: Bearer <token>`. Not with
               * `username`.
               * @visibility secret
               */
              token?: string;
              /** Talk plain HTTP to the registry (helm's `--plain-http`). Defaults to false. */
              plainHttp?: boolean;
            }
          | {
              [source: string]:
                | string
                | {
                    /** An `oci://host[:port]/path` reference (charts at `<url>/<chart>`). */
                    url: string;
                    /**
                     * User name for the registry; needs `password`. Sent as Basic auth to
                     * the registry's token endpoint (or to the registry when it asks for
                     * Basic).
                     */
                    username?: string;
                    /**
                     * The registry password (or access token used as one); needs `username`.
                     * @visibility secret
                     */
                    password?: string;
                    /**
                     * A registry bearer token, sent as `Authorization: Bearer <token>`. Not with
                     * `username`.
                     * @visibility secret
                     */
                    token?: string;
                    /** Plain HTTP to the registry (helm's `--plain-http`). Default false. */
                    plainHttp?: boolean;
                  };
            };
      };
      /**
       * A base URL replacing every vendor repository, for air-gapped sites: a source is read from
       * `<mirror>/<mesh>/<source id>` (`<mirror>/istio/release`, `<mirror>/linkerd/stable`,
       * `<mirror>/linkerd/edge`). Archive URLs on the vendor's host in a copied index are fetched
       * from the mirror too. `repositories` wins over it. An `oci://` mirror may be given as an
       * object with its registry's credentials, as in `repositories`.
       */
      mirror?:
        | string
        | {
            /** An `oci://host[:port]/path` reference (charts at `<url>/<chart>`). */
            url: string;
            /**
             * User name for the registry; needs `password`. Sent as Basic auth to the registry's
             * token endpoint (or to the registry when it asks for Basic).
             */
            username?: string;
            /**
             * The registry password (or access token used as one); needs `username`.
             * @visibility secret
             */
            password?: string;
            /**
             * A registry bearer token, sent as `Authorization: Bearer <token>`. Not with
             * `username`.
             * @visibility secret
             */
            token?: string;
            /** Talk plain HTTP to the registry (helm's `--plain-http`). Defaults to false. */
            plainHttp?: boolean;
          };
      /**
       * A directory of chart archives named `<chart>-<chart version>.tgz` (as `helm pull` saves
       * them), used before any network; its versions are installable even without an index.
       * Relative to the backend's working directory.
       */
      localDir?: string;
      /** The helm binary (3.x or 4.x): a path, or a name found on PATH. Defaults to `helm`. */
      helmBinary?: string;
      /**
       * Where indexes and downloaded archives are cached (downloads are checked against the
       * index's digest, OCI pulls against the manifest's). Relative to the backend's working
       * directory. Defaults to `.meshstage/charts`.
       */
      cacheDir?: string;
      /**
       * When the indexes are read again: a Backstage task schedule (`frequency`, optional
       * `timeout` and `initialDelay`). Defaults to every 6 hours, first 10 seconds after start
       * (the disk cache serves until then).
       */
      indexRefresh?: {
        frequency:
          | { cron: string }
          | string
          | {
              seconds?: number;
              minutes?: number;
              hours?: number;
              days?: number;
            };
        timeout?:
          | string
          | { seconds?: number; minutes?: number; hours?: number };
        initialDelay?:
          | string
          | { seconds?: number; minutes?: number; hours?: number };
      };
      /**
       * Longest one `helm template` run may take before it is stopped and the plan fails with
       * that message. A Backstage duration. Defaults to 60 seconds.
       */
      helmTimeout?: string | { seconds?: number; minutes?: number };
      /** Longest an index or archive download may take. Defaults to 60 seconds. */
      fetchTimeout?: string | { seconds?: number; minutes?: number };
      /**
       * With `source: helm`, whether an adapter's built-in versions that the chart repositories
       * do not list are offered too (rendered by its own renderer, shown with source `builtin`).
       * Defaults to true; production configurations should set false so that only the vendors'
       * charts are installed.
       */
      builtinFallback?: boolean;
      /**
       * Versions to offer from OCI repositories besides the tags the registry lists (for a
       * registry that does not allow listing tags), by mesh id.
       */
      ociVersions?: { [mesh: string]: string[] };
      /** `--kube-version` for `helm template`, for charts that check the cluster's version. */
      kubeVersion?: string;
    };

    /**
     * Lifecycle operations (`/api/mesh/operations`).
     */
    operations?: {
      /**
       * A running operation whose backend process has not refreshed its heartbeat for this long
       * is marked `interrupted` (checked at startup and every minute); it keeps its cluster and
       * mesh locked until it is resumed or reverted. Heartbeats are sent every quarter of this.
       * A Backstage duration (`'60s'`, `{ minutes: 1 }`). Defaults to 1 minute.
       */
      interruptAfter?:
        | string
        | {
            milliseconds?: number;
            seconds?: number;
            minutes?: number;
            hours?: number;
          };
      /**
       * How often every cluster and mesh that operations applied objects to is checked for drift
       * (`GET /api/mesh/drift` shows the latest report). A Backstage duration. Defaults to 10
       * minutes.
       */
      driftCheckFrequency?:
        | string
        | {
            seconds?: number;
            minutes?: number;
            hours?: number;
          };
    };

    /**
     * Catalog-driven onboarding (`GET /api/mesh/onboarding`): each catalog entity's
     * `meshstage.io/mesh` (and optional `meshstage.io/cluster`) compared with what the clusters
     * show for its workloads.
     */
    onboarding?: {
      /**
       * `manual` (the default): the state is shown and a person starts the operations. `auto`: a
       * scheduled task (one backend instance at a time) starts the onboard and offboard
       * operations itself, as the plugin's service principal, through the same planner,
       * permission check and audit as a user's request; each records the entities that caused it.
       */
      mode?: 'manual' | 'auto';
      /**
       * How often the automatic onboarding compares and acts. A Backstage duration (`'1m'`,
       * `{ minutes: 1 }`). Defaults to 1 minute.
       */
      frequency?:
        | string
        | {
            seconds?: number;
            minutes?: number;
            hours?: number;
          };
      /** Automatic operations running at once, at most. Defaults to 2. */
      maxConcurrent?: number;
      /**
       * After a failed automatic attempt for an entity, the next one waits `initial`, doubling
       * with each further failure in a row up to `max`. Failed operations are counted from the
       * operation history (kept across restarts); attempts refused before an operation existed
       * (planner, permission) are remembered by the instance that ran the task.
       */
      backoff?: {
        /** A Backstage duration. Defaults to 1 minute. */
        initial?:
          | string
          | { seconds?: number; minutes?: number; hours?: number };
        /** A Backstage duration. Defaults to 1 hour. */
        max?: string | { seconds?: number; minutes?: number; hours?: number };
      };
    };

    /**
     * Configuration validation: `POST /api/mesh/validate` and the scans of every cluster.
     */
    validation?: {
      /** Whether the scheduled scan of every configured cluster runs. Defaults to true. */
      enabled?: boolean;
      /**
       * When the scheduled scan runs: a Backstage task schedule. `frequency` is a duration
       * (`{ minutes: 30 }`, `'PT30M'`) or `{ cron: '*\/30 * * * *' }`; `timeout` (default 10
       * minutes) and `initialDelay` (default 1 minute) are optional here. Defaults to every 30
       * minutes.
       */
      schedule?: {
        frequency:
          | { cron: string }
          | string
          | {
              seconds?: number;
              minutes?: number;
              hours?: number;
              days?: number;
            };
        timeout?:
          | string
          | { seconds?: number; minutes?: number; hours?: number };
        initialDelay?:
          | string
          | { seconds?: number; minutes?: number; hours?: number };
        scope?: 'global' | 'local';
      };
      /** Scans kept per cluster, with their findings; older ones are deleted. Defaults to 50. */
      keepScans?: number;
      /** Files one `POST /validate` may carry. Defaults to 200. */
      maxFiles?: number;
      /** Bytes one uploaded file may have. Defaults to 1048576 (1 MiB). */
      maxFileBytes?: number;
      /** Bytes the JSON body of `POST /validate` may have. Defaults to 5242880 (5 MiB). */
      maxRequestBytes?: number;
    };

    /**
     * Where observed traffic comes from, for the topology graph's traffic edges (request rate,
     * error ratio, p50/p99 per edge). Without it the graph shows configuration edges only.
     */
    metrics?: {
      /**
       * A Prometheus server (or a Prometheus-compatible query API: Thanos, Mimir, Cortex,
       * VictoriaMetrics) that scrapes the meshes' proxies: Istio's `istio_requests_total` and
       * `istio_request_duration_milliseconds`, Linkerd's `response_total` and
       * `response_latency_ms` with Linkerd's pod labels (`namespace`, `deployment`, ...), as the
       * meshes' own Prometheus configurations record them. Read with instant queries
       * (`POST <url>/api/v1/query`). A server that is down, slow or refuses a query leaves the
       * graph with configuration edges and a notice saying why; a malformed value here stops the
       * backend at startup.
       */
      prometheus?: {
        /**
         * The server's base URL, e.g. `http://prometheus.istio-system:9090`; a path prefix is
         * kept (`https://mimir.example.com/prometheus`). No credentials in it: use `username` and
         * `password`, or `bearerToken`.
         */
        url: string;
        /**
         * The longest one query may take (also sent to Prometheus as the query's `timeout`).
         * Milliseconds, or a Backstage duration (`'10s'`, `'PT10S'`, `{ seconds: 10 }`). Defaults
         * to 5 seconds.
         */
        timeout?:
          | number
          | string
          | {
              milliseconds?: number;
              seconds?: number;
              minutes?: number;
            };
        /**
         * The window rates and percentiles cover when a request names none: a Prometheus
         * duration (`'1m'`, `'5m'`, `'1h'`). Defaults to `'5m'`. `rate()` needs two samples in
         * the window: keep it at least four scrape intervals long, as Prometheus advises.
         */
        window?: string;
        /**
         * Sent as `Authorization: Bearer <token>` (a service account token for an
         * OpenShift/GKE-managed Prometheus, an API key for a hosted one). Not with `username`.
         * @visibility secret
         */
        bearerToken?: string;
        /** Basic-auth user name; needs `password`. Not with `bearerToken`. */
        username?: string;
        /**
         * Basic-auth password; needs `username`.
         * @visibility secret
         */
        password?: string;
        /**
         * Extra request headers, e.g. `X-Scope-OrgID: <tenant>` for Mimir or Cortex. Values may
         * hold credentials, so they are treated as secrets.
         * @visibility secret
         */
        headers?: { [name: string]: string };
        /**
         * The label that tells clusters apart when this Prometheus holds several clusters'
         * metrics (an external label or a relabelled target label, e.g. `cluster`); its values
         * must be the cluster names of `kubernetes.clusterLocatorMethods`. Every query is then
         * narrowed to the graph's clusters (`<label>=~"east|west"`) and split by it. Without it,
         * the server is taken to hold one cluster's metrics: list that cluster in `clusters`
         * when the portal has several.
         */
        clusterLabel?: string;
        /**
         * The clusters this Prometheus serves (names from `kubernetes.clusterLocatorMethods`);
         * graphs of other clusters get no traffic from it. Defaults to every cluster.
         */
        clusters?: string[];
      };
    };

    /**
     * Benchmarks: performance profiles and runs (`/api/mesh/benchmark/...`). The limits are
     * enforced on every profile and run request (a 400 names the field that exceeds them).
     */
    benchmark?: {
      /** Runs executing at once in one backend instance; more wait queued. Defaults to 1. */
      concurrency?: number;
      /** Highest constant rate a profile may ask for, requests/s. Defaults to 10000. */
      maxRate?: number;
      /**
       * Longest measured duration (and warmup) of a run; request-count runs are stopped after
       * it. A Backstage duration (`'10m'`, `{ minutes: 10 }`). Defaults to 10 minutes.
       */
      maxDuration?:
        | string
        | {
            milliseconds?: number;
            seconds?: number;
            minutes?: number;
            hours?: number;
          };
      /** Most connections a run may open. Defaults to 256. */
      maxConnections?: number;
      /** Most worker threads a run may use. Defaults to 4. */
      maxThreads?: number;
      /** Most load-generator pods of an in-cluster run (`inCluster.pods`). Defaults to 10. */
      maxPods?: number;
      /**
       * Hosts benchmarks may send load to: names or IPs, `*.suffix` wildcards (one or more
       * leading labels) or `*` for any. Defaults to `localhost`, `127.0.0.1`, `::1`,
       * `*.svc.cluster.local` and `*.svc`.
       */
      allowedHosts?: string[];
      /**
       * The passphrase (16 characters or more) the values of headers profiles mark secret
       * (`endpoints[].secretHeaders`) are sealed with (AES-256-GCM) in the database. Every backend
       * instance sharing the database needs the same one. Without it a key lives as long as the
       * process: those values cannot be read after a restart.
       * @visibility secret
       */
      secretKey?: string;
    };
  };
}
