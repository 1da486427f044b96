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
  };
}
