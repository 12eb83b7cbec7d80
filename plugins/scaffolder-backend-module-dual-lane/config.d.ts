export interface Config {
  dualLane?: {
    /**
     * Settings of the scaffolder action `dual-lane:repo:create`. The gate
     * names come from `dualLane.gates.requiredChecks` and the label
     * definitions from `dualLane.labels`.
     */
    scaffolder?: {
      /**
       * GitHub owners (organisations or users) the action may create
       * repositories in, compared case-insensitively; every other owner is
       * refused before any GitHub call. When absent, deny by default: the
       * integration's credentials may create in no owner, and only a run
       * with the user's own token (the action's `token` input) proceeds,
       * limited by what GitHub lets that user do.
       */
      allowedOwners?: string[];
      /**
       * Who may adopt an existing repository that has content (and the
       * dual-lane topic): `userToken` (default) only with the user's own
       * token, so GitHub checks that the user administers it;
       * `anyCredentials` also with the integration's credentials (only when
       * everyone allowed to run the template may administer every
       * repository of the allowed owners); `never` refuses. Adopting only
       * adds to the repository's protection, never removes or weakens it.
       */
      adoption?: 'userToken' | 'anyCredentials' | 'never';
      /**
       * Deprecated: give the gates of `dualLane.gates.requiredChecks` a
       * `role` instead. Which gate (by `name` or `context`) each workflow of
       * the `dual-lane-repository` template reports; still honoured when
       * set, and it must agree with a role given to another gate.
       * @deprecated Use `dualLane.gates.requiredChecks[].role`.
       */
      templateGates?: {
        leo?: string;
        storyRelease?: string;
        slsa?: string;
        policy?: string;
      };
      /**
       * The GitHub App id of GitHub Actions per host. github.com's (15368)
       * is built in; a GitHub Enterprise Server has its own. A required
       * check pinned to it must be the name of a workflow job of the
       * content. Where the host's id is unknown, a check pinned to an app
       * needs the job unless its `appSlug` names another app.
       */
      actionsApps?: Array<{ host: string; appId: number }>;
      /**
       * The organisation's published, signed policy bundle the template's
       * policy gate verifies and records the version of. The signer is an
       * organisation decision, so it is configured here rather than chosen
       * by whoever runs the template.
       */
      orgPolicyBundle?: {
        /** `owner/name` of the repository whose releases carry the bundle. */
        repository: string;
        /** Release asset; its Sigstore bundle is `<asset>.sigstore.json`. Default `policies.tar.gz`. */
        asset?: string;
        /** A release tag to pin. Default: the latest release. */
        version?: string;
        /** The exact certificate identity (SAN) of the signer. */
        identity?: string;
        /** Or an anchored (`^...$`) regular expression for it. */
        identityRegexp?: string;
        /** OIDC issuer. Default `https://token.actions.githubusercontent.com`. */
        issuer?: string;
      };
      /**
       * How the default branch is protected: classic branch protection
       * (`branchProtection`, the default) or a repository ruleset
       * (`ruleset`) with the same rules.
       */
      protection?: 'branchProtection' | 'ruleset';
      /** Name of the ruleset in `ruleset` mode. Default `dual-lane-gates`. */
      rulesetName?: string;
      /**
       * The repository topic that marks a dual-lane repository. The action
       * sets it right after creating the repository and refuses an existing
       * non-empty repository without it. Default `dual-lane`.
       */
      repositoryTopic?: string;
      /** Pull request review rules on the default branch. */
      reviews?: {
        /** Approvals needed before merging, 0 to 6. Default 1. */
        requiredApprovingReviewCount?: number;
        /** Dismiss approvals when new commits are pushed. Default true. */
        dismissStaleReviews?: boolean;
        /** Require a review from a code owner. Default false. */
        requireCodeOwnerReviews?: boolean;
        /** The last push must be approved by someone else. Default false. */
        requireLastPushApproval?: boolean;
      };
      /** Apply the rules to administrators too (no bypass). Default true. */
      enforceAdmins?: boolean;
      /** Branches must be up to date before merging (strict checks). Default true. */
      requireBranchesUpToDate?: boolean;
      /** All review conversations must be resolved. Default false. */
      requireConversationResolution?: boolean;
      /**
       * Branch protection also requires the template's drift check
       * (`Check AGENTS.md vs CLAUDE.md`), so AGENTS.md/CLAUDE.md drift
       * blocks merges. Default true.
       */
      requireDriftCheck?: boolean;
    };
  };
}
