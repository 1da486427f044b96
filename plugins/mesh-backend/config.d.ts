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
    };
  };
}
