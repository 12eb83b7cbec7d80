import { Entity } from '@backstage/catalog-model';
import {
  ArtifactWithVerifications,
  GateResult,
  GateRunConclusion,
  ComplianceListItem,
  ComplianceListResponse,
  ComplianceRollupResponse,
  ComplianceWaiversResponse,
  CriterionResult,
  EntityComplianceResponse,
  GatesResponse,
  GO_NO_GO_CRITERIA,
  PullRequestGates,
  summarizeScope,
  SupplyChainResponse,
  VerificationSummary,
} from '@dual-lane/plugin-dual-lane-common';

/*
 * Responses of the dual-lane backend for the views' tests, typed against
 * the common package so they follow its changes.
 */

export const HEAD = 'a'.repeat(40);
export const DIGEST = `sha256:${'b'.repeat(64)}`;

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme/payments-api' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

export function pullRequest(
  number: number,
  overrides: Partial<PullRequestGates> = {},
): PullRequestGates {
  const gates: Array<{
    name: string;
    state: GateResult['state'];
    conclusion?: GateRunConclusion;
  }> = [
    {
      name: 'LEO Gate Validation / Run Gate 3 for PRD-*',
      state: 'passing',
      conclusion: 'success',
    },
    {
      name: 'Story Release Gate Check / Check Story Release Gate',
      state: 'failing',
      conclusion: 'timed_out',
    },
    {
      name: 'SLSA Verification / Verify SLSA Provenance',
      state: 'missing',
    },
    {
      name: 'Policy Verification / Validate Policy Bundle',
      state: 'pending',
    },
  ];
  return {
    pullRequest: {
      id: number,
      repositoryId: 1,
      number,
      title: `Add retries ${number}`,
      state: 'open',
      draft: false,
      author: 'claude-exec',
      headRef: `feature/retries-${number}`,
      headSha: HEAD,
      baseRef: 'main',
      laneSlug: `retries-${number}`,
      createdAt: '2026-11-20T10:15:00Z',
      updatedAt: '2026-11-20T11:00:00Z',
      labels: ['claude-enforcing'],
    },
    gateStatus: {
      headSha: HEAD,
      required: 4,
      passing: 1,
      summary: '1/4',
      allPassing: false,
      failing: [gates[1].name],
      pending: [gates[3].name],
      missing: [gates[2].name],
      unexpectedApp: [],
      gates: gates.map(g => ({
        name: g.name,
        context: g.name,
        state: g.state,
        runs:
          g.state === 'missing'
            ? []
            : [
                {
                  checkName: g.name,
                  headSha: HEAD,
                  status: g.state === 'pending' ? 'in_progress' : 'completed',
                  conclusion: g.conclusion,
                  detailsUrl: `https://github.com/acme/payments-api/runs/${g.name.length}`,
                },
              ],
        ignoredRuns: [],
      })),
    },
    gateRuns: [
      {
        id: 1,
        repositoryId: 1,
        pullRequestId: number,
        source: 'github',
        externalId: '1',
        gateName: gates[0].name,
        checkName: 'Run Gate 3 for PRD-12',
        headSha: HEAD,
        status: 'completed',
        conclusion: 'success',
        appSlug: 'github-actions',
        startedAt: '2026-11-20T10:20:00Z',
        completedAt: '2026-11-20T10:22:00Z',
        updatedAt: '2026-11-20T10:22:00Z',
      },
    ],
    laneEvents: [
      {
        id: 1,
        repositoryId: 1,
        kind: 'codex-ready',
        slug: `retries-${number}`,
        branch: `staging/retries-${number}`,
        commitSha: 'c'.repeat(40),
        occurredAt: '2026-11-20T10:00:00Z',
      },
    ],
    verdict: {
      id: 3,
      pullRequestId: number,
      source: 'review',
      externalId: '3',
      verdict: 'changes-requested',
      author: 'plan-bot',
      commitSha: HEAD,
      recordedAt: '2026-11-20T10:45:00Z',
    },
    verdicts: [],
    reworkCycles: [
      {
        pullRequestId: number,
        cycle: 1,
        startedAt: '2026-11-20T10:00:00Z',
        endedAt: '2026-11-20T10:45:00Z',
        verdict: 'changes-requested',
      },
      { pullRequestId: number, cycle: 2, startedAt: '2026-11-20T10:45:00Z' },
    ],
    reworkCount: 1,
    labels: {
      checked: true,
      expectedState: 'rework-requested',
      expected: 'rework-requested',
      actual: ['claude-enforcing'],
      unexpected: ['claude-enforcing'],
      accurate: false,
    },
    codexReadyToOpen: { codexReadyAt: '2026-11-20T10:00:00Z', minutes: 15 },
    ...overrides,
  };
}

export function gatesResponse(
  overrides: Partial<GatesResponse> = {},
): GatesResponse {
  return {
    items: [pullRequest(42)],
    totalCount: 1,
    requiredChecks: [
      {
        name: 'LEO Gate Validation / Run Gate 3 for PRD-*',
        context: 'Run Gate 3 for PRD-*',
      },
      {
        name: 'Policy Verification / Validate Policy Bundle',
        context: 'Validate Policy Bundle',
      },
    ],
    negativeTests: [
      {
        id: 1,
        repositoryId: 1,
        testName: 'unsigned-image',
        environment: 'production',
        commitSha: HEAD,
        blocked: true,
        observedAt: '2026-11-19T08:00:00Z',
      },
      {
        id: 2,
        repositoryId: 1,
        testName: 'provenance-replay',
        environment: 'ci',
        commitSha: HEAD,
        blocked: false,
        observedAt: '2026-11-19T08:00:00Z',
      },
    ],
    sync: {
      host: 'github.com',
      scheduled: true,
      schedule: { everyMs: 600_000, description: 'every 10 minutes' },
      lastSyncedAt: '2026-11-20T12:00:00Z',
      nextSyncAt: '2026-11-20T12:10:00Z',
    },
    ...overrides,
  };
}

function verification(
  overrides: Partial<VerificationSummary> &
    Pick<VerificationSummary, 'check' | 'outcome'>,
): VerificationSummary {
  return {
    id: 1,
    artifactId: 1,
    current: true,
    verifiedAt: '2026-11-20T12:00:00Z',
    policyHash: `sha256:${'9'.repeat(64)}`,
    ...overrides,
  };
}

export function artifact(
  id: number,
  overrides: Partial<ArtifactWithVerifications> = {},
): ArtifactWithVerifications {
  return {
    id,
    repositoryId: 1,
    digest: DIGEST,
    name: `artifact-${id}.tar.gz`,
    kind: 'artifact-bundle',
    sizeBytes: 4096,
    source: 'release-asset',
    sourceUrl: 'https://github.com/acme/payments-api/releases/tag/v1',
    commitSha: HEAD,
    status: 'failed',
    createdAt: '2026-11-20T12:00:00Z',
    updatedAt: '2026-11-20T12:00:00Z',
    sbomSummary: {
      specVersion: '1.5',
      componentCount: 12,
      directDependencies: ['a', 'b'],
      licenses: [{ license: 'MIT', count: 10 }],
      componentsWithoutLicense: 2,
      purls: [],
      componentsWithHashes: 12,
      hashAlgorithms: { 'SHA-256': 12 },
    },
    contents: {
      entries: [{ name: 'changes.patch', sizeBytes: 120, digest: DIGEST }],
      unknownEntries: [],
      missingEntries: ['rollback.sql'],
    },
    verifications: {
      signature: verification({
        check: 'signature',
        outcome: 'verified',
        signerIdentity:
          'https://github.com/acme/payments-api/.github/workflows/release.yml@refs/heads/main',
        signerIssuer: 'https://token.actions.githubusercontent.com',
        tlogIndex: 123456,
      }),
      provenance: verification({
        check: 'provenance',
        outcome: 'failed',
        reason: 'provenance subject digest does not match the artifact',
        slsaLevel: 3,
      }),
    },
    ...overrides,
  };
}

export function supplyChainResponse(
  overrides: Partial<SupplyChainResponse> = {},
): SupplyChainResponse {
  return {
    entityRef: 'component:default/payments-api',
    repository: { host: 'github.com', owner: 'acme', name: 'payments-api' },
    artifacts: [artifact(1)],
    policyVersions: [
      {
        id: 5,
        name: 'policies',
        version: 'v3',
        digest: DIGEST,
        signerIdentity: 'policy-bot@acme.example',
        policies: [
          {
            name: 'require-signed-images',
            kind: 'ClusterPolicy',
            engine: 'kyverno',
          },
        ],
        status: 'tampered',
        createdAt: '2026-11-18T12:00:00Z',
        updatedAt: '2026-11-18T12:00:00Z',
        lastUsedByPolicyGate: true,
        verification: verification({
          check: 'signature',
          outcome: 'failed',
          reason: 'bundle digest differs from the signed digest',
          policyVersionId: 5,
        }),
      },
    ],
    policyGate: {
      gateRunId: 9,
      gateName: 'Policy Verification / Validate Policy Bundle',
      headSha: HEAD,
      policyDigest: DIGEST,
      conclusion: 'success',
      completedAt: '2026-11-20T12:00:00Z',
      policyVersion: {
        id: 5,
        name: 'policies',
        version: 'v3',
        status: 'tampered',
      },
    },
    totals: {
      artifacts: 1,
      byStatus: { verified: 0, failed: 1, unverified: 0 },
      signedRatio: 1,
      provenanceVerifiedRatio: 0,
      policyVersions: 1,
      tamperedPolicyVersions: 1,
    },
    currentPolicyHash: `sha256:${'9'.repeat(64)}`,
    ...overrides,
  };
}

function criterion(
  index: number,
  overrides: Partial<CriterionResult> = {},
): CriterionResult {
  const c = GO_NO_GO_CRITERIA[index];
  return {
    criterion: c.id,
    title: c.title,
    status: 'pass',
    measuredStatus: 'pass',
    value: c.defaultThreshold,
    threshold: c.defaultThreshold,
    thresholdSource: 'default',
    comparator: c.comparator,
    unit: c.unit,
    gap: 0,
    basis: 'basis',
    explanation: `${c.title} passes.`,
    culprits: { total: 0 },
    ...overrides,
  };
}

export function entityComplianceResponse(
  overrides: Partial<EntityComplianceResponse> = {},
): EntityComplianceResponse {
  const criteria = GO_NO_GO_CRITERIA.map((_, i) => criterion(i));
  criteria[0] = criterion(0, {
    status: 'fail',
    measuredStatus: 'fail',
    value: 90,
    gap: 5,
    explanation:
      '90%: 9 of 10 pull requests merged in the last 30 days; the bar is ≥95%, 5 percentage points short. Merged without a PLAN verdict: #7.',
    culprits: {
      total: 1,
      pullRequests: [
        {
          number: 7,
          title: 'Fix login',
          detail: 'merged without a PLAN verdict',
        },
      ],
    },
  });
  criteria[5] = criterion(5, {
    status: 'waived',
    measuredStatus: 'fail',
    value: 1,
    gap: 1,
    explanation:
      'Waived until 2026-12-01 by user:default/lead: rewriting AGENTS.md.',
    waiver: {
      id: 11,
      reason: 'rewriting AGENTS.md',
      createdBy: 'user:default/lead',
      expiresAt: '2026-12-01T00:00:00Z',
    },
  });
  return {
    entityRef: 'component:default/payments-api',
    entity: {
      kind: 'Component',
      namespace: 'default',
      name: 'payments-api',
      ownerRef: 'group:default/payments',
    },
    repository: { host: 'github.com', owner: 'acme', name: 'payments-api' },
    verdict: 'no-go',
    failingCount: 1,
    evaluatedAt: '2026-11-20T12:00:00Z',
    window: {
      days: 30,
      start: '2026-10-21T12:00:00Z',
      end: '2026-11-20T12:00:00Z',
    },
    reasons: ['PLAN verdict coverage fails: 90% against ≥95% (1 culprits).'],
    criteria,
    indicators: [
      {
        id: 'time-to-pull-request',
        title: 'Time: [CODEX-READY] → PR open',
        current: 'median 15 min, p90 28 min (9 PRs)',
        target: '<30 minutes',
        status: 'pass',
      },
      {
        id: 'change-failure-rate',
        title: 'Change failure rate',
        current: '10% (1/10 reverted)',
        target: '<5%',
        status: 'fail',
      },
    ],
    kpis: {} as EntityComplianceResponse['kpis'],
    thresholds: {
      values: Object.fromEntries(
        GO_NO_GO_CRITERIA.map(c => [c.id, c.defaultThreshold]),
      ) as EntityComplianceResponse['thresholds']['values'],
      sources: Object.fromEntries(
        GO_NO_GO_CRITERIA.map(c => [c.id, 'default']),
      ) as EntityComplianceResponse['thresholds']['sources'],
      annotationErrors: [],
    },
    waivers: [
      {
        id: 11,
        entityRef: 'component:default/payments-api',
        criterion: 'drift-incidents',
        reason: 'rewriting AGENTS.md',
        createdBy: 'user:default/lead',
        createdAt: '2026-11-19T12:00:00Z',
        expiresAt: '2026-12-01T00:00:00Z',
        active: true,
      },
      {
        id: 10,
        entityRef: 'component:default/payments-api',
        criterion: 'label-accuracy',
        reason: 'labels migrated by hand',
        createdBy: 'user:default/lead',
        createdAt: '2026-10-01T12:00:00Z',
        expiresAt: '2026-10-08T00:00:00Z',
        active: false,
      },
    ],
    waiverMaxDays: 90,
    openDriftIncidents: [],
    ...overrides,
  };
}

/** The organisation's waivers, as `GET /compliance/waivers` answers. */
export function orgWaivers(
  overrides: Partial<ComplianceWaiversResponse> = {},
): ComplianceWaiversResponse {
  return {
    items: [
      {
        id: 21,
        entityRef: 'component:default/payments-api',
        criterion: 'drift-incidents',
        reason: 'rewriting AGENTS.md',
        createdBy: 'user:default/lead',
        createdAt: '2026-11-19T12:00:00Z',
        expiresAt: '2026-12-01T00:00:00Z',
        active: true,
        entity: {
          kind: 'Component',
          namespace: 'default',
          name: 'payments-api',
          title: 'Payments API',
          ownerRef: 'group:default/payments',
        },
      },
      {
        id: 20,
        entityRef: 'component:default/ledger',
        criterion: 'artifacts-signed',
        reason: 'legacy artifact store until the migration',
        createdBy: 'user:default/cto',
        createdAt: '2026-11-10T12:00:00Z',
        expiresAt: '2026-11-30T00:00:00Z',
        active: true,
        entity: {
          kind: 'Component',
          namespace: 'default',
          name: 'ledger',
          ownerRef: 'group:default/finance',
        },
      },
    ],
    totalCount: 2,
    waiverMaxDays: 90,
    ...overrides,
  };
}

export function listItem(
  name: string,
  overrides: Partial<ComplianceListItem> = {},
): ComplianceListItem {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    ownerRef: 'group:default/payments',
    systemRef: 'system:default/checkout',
    verdict: 'no-go',
    failingCount: 1,
    criteria: GO_NO_GO_CRITERIA.map((c, i) => ({
      criterion: c.id,
      status: i === 0 ? 'fail' : 'pass',
      value: c.defaultThreshold,
      threshold: c.defaultThreshold,
      gap: 0,
    })),
    evaluatedAt: '2026-11-20T12:00:00Z',
    ...overrides,
  };
}

export function complianceList(
  items: ComplianceListItem[],
  overrides: Partial<ComplianceListResponse> = {},
): ComplianceListResponse {
  const counts = {
    go: items.filter(i => i.verdict === 'go').length,
    'no-go': items.filter(i => i.verdict === 'no-go').length,
    'no-data': items.filter(i => i.verdict === 'no-data').length,
    total: items.length,
  };
  return {
    items,
    totalCount: items.length,
    totals: counts,
    summary: summarizeScope(counts, undefined, 'the organisation'),
    ...overrides,
  };
}

export function rollups(
  by: 'owner' | 'system',
  refs: string[],
): ComplianceRollupResponse {
  const counts = { go: 0, 'no-go': 1, 'no-data': 0, total: 1 };
  return {
    by,
    items: refs.map(ref => ({
      ref,
      directEntities: 1,
      summary: summarizeScope(counts, undefined, ref),
    })),
    totalCount: refs.length,
    organisation: summarizeScope(
      { go: 0, 'no-go': refs.length, 'no-data': 0, total: refs.length },
      undefined,
      'the organisation',
    ),
  };
}
