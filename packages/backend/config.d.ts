export interface Config {
  /** Settings of the MeshStage portal's own backend. */
  meshstage?: {
    /**
     * The example permission policy (`packages/backend/src/permissionPolicy`), used when the
     * backend installs its module in place of the allow-all policy.
     */
    permissionPolicy?: {
      /**
       * The group whose members may do everything in the mesh plugin. An entity ref. Defaults to
       * `group:default/platform`.
       */
      platformGroup?: string;
    };
  };
}
