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
        /**
         * What the gate is for: `leo-gate`, `story-release`, `slsa`,
         * `policy` (its check run's `dual-lane policy bundle` annotation
         * gives the policy digest it verified) or `drift` (the
         * AGENTS.md/CLAUDE.md drift check). At most one gate per role. A
         * check without a role whose name is one of the seed's four gates
         * gets that gate's role, unless another check claims it.
         */
        role?: 'leo-gate' | 'story-release' | 'slsa' | 'policy' | 'drift';
      }>;
    };
    /** Commit markers of the lanes: `[<marker>:<slug>]`. */
    markers?: {
      /** The builder's marker. Default: `CODEX-READY`. */
      ready?: string;
      /** The enforcer's marker. Default: `CLAUDE-APPLIED`. */
      applied?: string;
    };
    /** Branch prefixes of the lanes. */
    branchPrefixes?: {
      /** The builder lane. Default: `staging/`. */
      staging?: string;
      /** The enforcer lane (pull request heads). Default: `feature/`. */
      feature?: string;
    };
    /** How the supervisor's (PLAN) verdict is recognised on pull requests. */
    verdicts?: {
      /** Marker word of `[PLAN-VERDICT:approved|changes-requested|rejected]`. Default: `PLAN-VERDICT`. */
      marker?: string;
      /** GitHub logins whose reviews and comments are verdicts. Default: none, i.e. anyone but the pull request's author. */
      supervisors?: string[];
      /** APPROVED / CHANGES_REQUESTED reviews without a marker count as verdicts. Default: true. */
      reviewStates?: boolean;
      /** Read issue comments for verdict markers. Default: true. */
      comments?: boolean;
    };
    /** How gates report the four negative tests. */
    negativeTests?: {
      /**
       * Report checks whose output lists the results; `<name> (<environment>)`
       * reports for that environment. The repository template names its
       * report job after the first. Default: [`Report Negative Tests`].
       */
      checkNames?: string[];
      /** Prefix of one check run per test (`negative-test/<name>`). Default: `negative-test/`. */
      checkPrefix?: string;
      /**
       * The environments a GitHub check run may report results for
       * (`ci`, `staging`, `production`); a report claiming another is not
       * recorded. Leave out `production` to take production evidence only
       * from `POST /api/dual-lane/ingest/negative-tests`. Default: all three.
       */
      githubEnvironments?: Array<'ci' | 'staging' | 'production'>;
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
