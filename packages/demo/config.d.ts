export interface Config {
  /**
   * The offline demo's local GitHub REST API (`@dual-lane/demo`), served by
   * the backend at `/api/demo-github` for the demo organisation's
   * repositories. Development only.
   */
  demoGithub?: {
    /**
     * Whether the backend serves the demo GitHub (packages/backend adds the
     * plugin only then). Default: false. Ignored when NODE_ENV is
     * `production`.
     */
    enabled?: boolean;
    /**
     * The generated demo data (`github/`, `releases/`, `sigstore/`),
     * relative to the backend's working directory. Default: the
     * repository's `examples/demo`.
     */
    dataDirectory?: string;
    /**
     * The host the demo repositories live on, as entities' source
     * locations and the `integrations.github` entry name it. Default:
     * `github.demo.internal`.
     */
    host?: string;
    /**
     * The token clients must send (`Authorization: token <token>`), the
     * same as the demo host's `integrations.github` token. Not a secret:
     * the demo data is public.
     * @visibility backend
     */
    token?: string;
  };
}
