import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  dualLane?: {
    sync?: {
      catalog?: {
        /**
         * How often the catalog's dual-lane entities (those with
         * `github.com/project-slug`) are mirrored into the plugin's
         * database. Default: every 10 minutes, first run 10 s after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      // -- gates: dualLane.sync.github
      /**
       * The GitHub source of pull requests, gate runs, lane markers,
       * verdicts and labels (repositories come from catalog entities with
       * `github.com/project-slug`; credentials from `integrations.github`).
       */
      github?: {
        /** Whether the scheduled sync runs. Default: true. */
        enabled?: boolean;
        /**
         * Default: every 10 minutes, timeout 2 hours (a first sync of a
         * large organisation is long; later runs are mostly 304s), first
         * run 1 minute after start. Global scope: one instance runs it.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * How far back closed pull requests are read on a repository's
         * first sync; open ones are always read. Default: 30 days.
         */
        closedLookback?: HumanDuration | string;
        /** Repositories synced at the same time, 1 to 16. Default: 4. */
        concurrency?: number;
        /**
         * How long after its last update an open pull request with a
         * missing required gate is re-checked on every run (a queued,
         * running or failing gate is re-checked until it passes, see
         * maxRechecksPerRepository). Default: 6 hours.
         */
        settleWindow?: HumanDuration | string;
        /**
         * Open pull requests per repository whose head check runs are
         * re-read in one run because their gates are not all passing (a
         * failing or running gate; a re-run does not change the pull
         * request, so the list's ETag cannot see it). Conditional requests:
         * unchanged heads answer 304 and cost no rate limit. The least
         * recently re-checked go first; 0 turns the re-check off.
         * Default: 50.
         */
        maxRechecksPerRepository?: number;
        /**
         * Read branch protection and rulesets of base branches for merge
         * conformance (needs administration read; a 403 is recorded as
         * unreadable). Default: true.
         */
        branchProtection?: boolean;
        /** How often the default branch's negative-test checks are read. Default: 6 hours. */
        defaultBranchNegativeTestsInterval?: HumanDuration | string;
        webhooks?: {
          /**
           * Subscribe to the `github.*` event topics (needs
           * `@backstage/plugin-events-backend-module-github`). Default: true.
           */
          enabled?: boolean;
          /**
           * Development only: subscribe although no webhook secret is
           * configured, so signatures are not checked. Ignored when
           * NODE_ENV is `production`. Default: false.
           */
          allowUnsigned?: boolean;
        };
      };
      // -- end gates
      // -- supply chain: dualLane.sync.artifacts
      /** Pulling artifacts, policy bundles and attestations from GitHub. */
      artifacts?: {
        /** Whether the GitHub source runs at all. Default: true. */
        enabled?: boolean;
        /** Default: every 30 minutes, first run 1 minute after start. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Read `artifact.tar.gz` / `policies.tar.gz` release assets and their `.sigstore.json`. Default: true. */
        releases?: boolean;
        /** Look up GitHub artifact attestations for assets released without a bundle. Default: true. */
        attestations?: boolean;
        /** How many of the newest releases are read per repository. Default: 20. */
        maxReleases?: number;
      };
      // -- end supply chain
      // -- compliance: dualLane.sync.drift
      /**
       * The drift check (the seed's WS5): AGENTS.md and CLAUDE.md of every
       * dual-lane repository's default branch are compared for gate names
       * and thresholds. Conditional requests: the files are only read when
       * the branch head moved.
       */
      drift?: {
        /** Whether the scheduled check runs. Default: true. */
        enabled?: boolean;
        /** Default: hourly, timeout 30 minutes, first run 2 minutes after start. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Path of the builder lane's instructions. Default: `AGENTS.md`. */
        agentsPath?: string;
        /** Path of the enforcer lane's instructions. Default: `CLAUDE.md`. */
        claudePath?: string;
        /** Repositories checked at the same time, 1 to 32. Default: 4. */
        concurrency?: number;
      };
      // -- end compliance
    };
    // dualLane.markers, .branchPrefixes, .verdicts, .negativeTests and
    // .gates.requiredChecks: see @dual-lane/plugin-dual-lane-node's config.d.ts.
    // Without dualLane.verdicts.supervisors, a verdict by the pull request's
    // own author does not count (any other account's does; a warning is
    // logged at start).
    // -- supply chain: dualLane.verification
    /** How signed artifacts, provenance, SBOMs and policy bundles are verified. */
    verification?: {
      /**
       * A `trusted_root.json` (private Sigstore, air-gapped sites, demos).
       * When unset, the public-good root is fetched through TUF.
       */
      trustedRootPath?: string;
      /** TUF settings for the public-good root (used when trustedRootPath is unset). */
      tuf?: {
        /** Default: https://tuf-repo-cdn.sigstore.dev */
        mirrorUrl?: string;
        /**
         * The TUF cache, created with mode 0700 and refused when another
         * user could write it. Default: <backend.workingDirectory>/dual-lane/sigstore-tuf/<root>,
         * or <os tmpdir>/dual-lane-<uid>/sigstore-tuf/<root> without a working directory.
         */
        cachePath?: string;
        /** An initial `root.json` for a private TUF repository. Default: the embedded public-good root. */
        rootPath?: string;
        /** Use the cached metadata without refreshing it. Default: false. */
        forceCache?: boolean;
      };
      /**
       * Several trusted roots (replaces trustedRootPath and tuf), e.g. the
       * public-good instance and GitHub's own for private repositories'
       * attestations. A bundle is verified against the root whose
       * certificate authority issued its certificate (key-based bundles:
       * whose transparency log holds its entry), with that root's
       * thresholds (default: keyless / keyBased below).
       */
      trustedRoots?: Array<{
        /** Letters, digits, '.', '_', '-'; unique. */
        name: string;
        /** A `trusted_root.json`; exactly one of path and tuf. */
        path?: string;
        /** TUF settings as above (`{}` for the public-good root). */
        tuf?: {
          mirrorUrl?: string;
          cachePath?: string;
          rootPath?: string;
          forceCache?: boolean;
        };
        keyless?: {
          tlogThreshold?: number;
          ctlogThreshold?: number;
          timestampThreshold?: number;
        };
        keyBased?: {
          tlogThreshold?: number;
          ctlogThreshold?: number;
          timestampThreshold?: number;
        };
      }>;
      /** Thresholds for keyless (certificate) bundles. Defaults: 1, 1, 1. */
      keyless?: {
        tlogThreshold?: number;
        ctlogThreshold?: number;
        timestampThreshold?: number;
      };
      /** Thresholds for key-based bundles. Defaults: tlog 1, ctlog 0, timestamp 1. */
      keyBased?: {
        tlogThreshold?: number;
        ctlogThreshold?: number;
        timestampThreshold?: number;
      };
      /** Keyless signer identities (OIDC issuer + certificate SAN). Default: none. */
      identities?: Array<{
        name: string;
        issuer: string;
        /** The exact SAN. */
        subject?: string;
        /** A SAN glob, anchored: `*` within a path segment, `**` across. */
        subjectPattern?: string;
        /** Default: approved. */
        status?: 'approved' | 'revoked';
        /** ISO-8601; after it, what this identity signed fails. */
        expiresAt?: string;
        revokedReason?: string;
      }>;
      /** Public keys for key-based bundles, matched by name or sha256 key id (both unique). Default: none. */
      keys?: Array<{
        name: string;
        /** PEM (SubjectPublicKeyInfo). */
        publicKey?: string;
        /** A PEM file, relative to the working directory. */
        publicKeyPath?: string;
        status?: 'approved' | 'revoked';
        expiresAt?: string;
        revokedReason?: string;
      }>;
      /**
       * Allowed provenance builder ids (globs), optionally with the SLSA
       * build level they provide (default 2). Default: GitHub-hosted
       * runners (L2) and the SLSA GitHub generator workflows (L3).
       */
      builders?: Array<string | { id: string; slsaLevel?: number }>;
      /**
       * SLSA v1 build types accepted in provenance, with the external
       * parameters each may carry; provenance of any other build type
       * fails. Added to (or replacing, by buildType) the defaults: GitHub's
       * `https://actions.github.io/buildtypes/workflow/v1` (workflow,
       * inputs) and the SLSA GitHub generator's workflow/v1 (workflow,
       * inputs, vars).
       */
      buildTypes?: Array<{ buildType: string; externalParameters?: string[] }>;
      /** Limits on untrusted input. */
      limits?: {
        /** Default: 52428800 (50 MiB). */
        maxCompressedBytes?: number;
        /** Default: 209715200 (200 MiB). */
        maxUncompressedBytes?: number;
        /** Default: 1000. */
        maxEntries?: number;
        /** Default: 100. */
        maxCompressionRatio?: number;
        /** The ratio is checked once this much was inflated. Default: 1048576. */
        ratioFloorBytes?: number;
        /** Largest Sigstore bundle. Default: 1048576. */
        maxBundleBytes?: number;
        /** Largest artifact kept for re-verifying message signatures. Default: 10485760. */
        maxStoredPayloadBytes?: number;
      };
      reverify?: {
        /** Default: hourly, first run 15 s after start. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    // -- end supply chain
    // -- compliance: dualLane.goNoGo, dualLane.compliance
    /** The go/no-go pass bar for scaling (the seed's seven criteria). */
    goNoGo?: {
      /** Days of data each evaluation looks at, 1 to 366. Default: 30. */
      windowDays?: number;
      /**
       * The organisation's thresholds, by criterion; the seed's values
       * are the defaults. Percentages are 0 to 100, counts whole numbers.
       */
      thresholds?: {
        /** Minimum % of merged pull requests with a PLAN verdict. Default: 95. */
        'verdict-coverage'?: number;
        /** Maximum rework cycles of any pull request. Default: 2. */
        'rework-cycles'?: number;
        /** Minimum % of artifacts with a verified signature. Default: 100. */
        'artifacts-signed'?: number;
        /** Minimum % of artifacts with verified provenance. Default: 100. */
        'provenance-verified'?: number;
        /** Minimum distinct negative tests blocked in production. Default: 1. */
        'negative-tests-blocked'?: number;
        /** Maximum drift incidents open during the window. Default: 0. */
        'drift-incidents'?: number;
        /** Minimum % of pull requests carrying exactly the expected lane label. Default: 100. */
        'label-accuracy'?: number;
      };
      /**
       * Which `dual-lane/go-no-go.<criterion>` entity annotations are
       * honoured: only `stricter` ones (an annotation may raise a bar, never
       * lower the organisation's), `any` (explicit opt-in: an annotation may
       * also loosen a threshold), or none (`off`). Default: stricter.
       */
      annotationOverrides?: 'any' | 'stricter' | 'off';
    };
    /** How go/no-go is computed, kept and announced. */
    compliance?: {
      /** Incremental re-evaluation of what changed. Default: every 5 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Full re-evaluation of every entity. Default: every 24 hours, first run 30 s after start. */
      fullSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How far before the last pass the incremental pass looks, in
       * minutes, for facts synced with an older timestamp. Default: 60.
       */
      lookbackMinutes?: number;
      /** Days of daily KPI snapshots kept. Default: 365. */
      historyDays?: number;
      /** Culprits (pull requests, artifacts) kept per criterion. Default: 25. */
      culpritLimit?: number;
      waivers?: {
        /** Longest waiver, in days from its creation. Default: 90. */
        maxDays?: number;
      };
      notifications?: {
        /** Notify an entity's owner when it flips go ↔ no-go. Default: true. */
        enabled?: boolean;
        /** Most notifications sent by one evaluation run. Default: 100. */
        maxPerRun?: number;
      };
      groups?: {
        /** Mirroring the catalog's group hierarchy. Default: every 30 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    // -- end compliance
  };
}
