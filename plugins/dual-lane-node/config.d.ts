export interface Config {
  dualLane?: {
    gates?: {
      /**
       * The required status checks every pull request must pass. Defaults to
       * the seed's four gates (LEO gate, story release gate, SLSA
       * verification, policy verification), reported by any app.
       */
      requiredChecks?: Array<{
        /**
         * The gate as people name it, `<workflow> / <job>`, e.g.
         * `SLSA Verification / Verify SLSA Provenance`.
         */
        name: string;
        /**
         * The status-check context GitHub reports and branch protection
         * requires: the check run's name (for GitHub Actions, the job name).
         * Defaults to the part of `name` after the last ` / `. A `*` matches
         * any characters when reading check runs.
         */
        context?: string;
        /**
         * The GitHub App that must report this check (e.g. 15368 for GitHub
         * Actions on github.com). A check with this name from another app
         * does not count.
         */
        appId?: number;
        /** The slug of that app, e.g. `github-actions`; shown in the UI. */
        appSlug?: string;
      }>;
    };
    /**
     * Labels of the lane state machine, keyed by state: `codex-ready`,
     * `claude-enforcing`, `plan-review`, `rework-requested`, `plan-approved`.
     * Each key overrides the default name, colour or description.
     */
    labels?: {
      [state: string]: {
        name?: string;
        /** Six hex digits, no `#`. */
        color?: string;
        description?: string;
      };
    };
  };
}
