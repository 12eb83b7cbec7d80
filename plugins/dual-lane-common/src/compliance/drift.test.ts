import { compareAgentInstructions, parseAgentInstructions } from './drift';

/** AGENTS.md as the dual-lane-repository template renders it. */
const TEMPLATE_AGENTS = `# AGENTS.md — payments

Instructions for the builder lane (Codex) of this dual-lane repository.

- Work only on \`staging/<slug>\` branches; never push to \`main\`.
- When a change is ready for the enforcer, commit with \`[CODEX-READY:<slug>]\` in the message.
- Produce the artifact bundle (\`artifact.tar.gz\`: \`changes.patch\`, \`merge-base.sha\`,
  \`attestation.intoto\`, \`sbom.cdx.json\`, optionally \`rollback.sql\`) with the change.
- Reference the PRD (\`PRD-<number>\`) the change implements.

## Lanes

| Lane | Who | Branch | Marker in the commit message |
|---|---|---|---|
| Builder | Codex | \`staging/<slug>\` | \`[CODEX-READY:<slug>]\` |
| Enforcer | Claude/EXEC | \`feature/<slug>\` | \`[CLAUDE-APPLIED:<slug>]\` |
| Supervisor | PLAN | pull request review | approves or requests changes (the verdict) |

- \`codex-ready\`: Builder lane marked the change [CODEX-READY] on staging/<slug>
- \`plan-review\`: All required gates pass; waiting for the PLAN verdict

<!-- dual-lane:gates:begin -->
## Required gates

Branch protection on \`main\` requires these status checks.

- \`LEO Gate Validation / Run Gate 3 for PRD-*\`
- \`Story Release Gate Check / Check Story Release Gate\`
- \`SLSA Verification / Verify SLSA Provenance\` (reported by \`github-actions\`)
- \`Policy Verification / Validate Policy Bundle\`

## Go/No-Go thresholds

Scaling needs all of:

- **≥95% PRs with PLAN verdict recorded in the database**
- **≤2 rework cycles per PR (Codex → Claude → PLAN)**
- **100% artifacts signed with Sigstore (non-sandbox)**
- **100% provenance verified at admission control**
- **≥1 blocked negative test in production (real Kubernetes)**
- **0 drift incidents between AGENTS.md and CLAUDE.md**
- **100% label accuracy (auto-labels match actual state)**

## Negative tests

A gate must block each of: \`unsigned-image\`, \`non-digest-image\`, \`provenance-replay\`, \`policy-tampering\`.
<!-- dual-lane:gates:end -->

**Sync note:** If gate names or thresholds change in \`CLAUDE.md\`, update this file in the same PR.
**Drift Check:** Weekly CI job \`leo-drift-check.yml\` validates alignment; failures block merges.
`;

const TEMPLATE_CLAUDE = TEMPLATE_AGENTS.replace('# AGENTS.md', '# CLAUDE.md')
  .replace('builder lane (Codex)', 'enforcer lane (Claude/EXEC)')
  .replace('change in `CLAUDE.md`', 'change in `AGENTS.md`');

/** The seed's style: quoted check names in YAML, thresholds in prose. */
const SEED_STYLE = `# Gates

Gate 3 requires ≥85% coverage of the PRD's acceptance criteria.

\`\`\`yaml
required_status_checks:
  - "LEO Gate Validation / Run Gate 3 for PRD-*"
  - "Story Release Gate Check / Check Story Release Gate"
  - 'SLSA Verification / Verify SLSA Provenance'
  - "Policy Verification / Validate Policy Bundle"
\`\`\`

- [ ] **≥95% PRs with PLAN verdict** recorded in database
- [ ] **≤2 rework cycles** per PR (Codex → Claude → PLAN)
- [ ] **0 drift incidents** between AGENTS.md and CLAUDE.md
`;

describe('parseAgentInstructions', () => {
  it('reads the template: four gates and seven thresholds', () => {
    const parsed = parseAgentInstructions(TEMPLATE_AGENTS);
    expect(parsed.gates.map(g => g.name)).toEqual([
      'LEO Gate Validation / Run Gate 3 for PRD-*',
      'Story Release Gate Check / Check Story Release Gate',
      'SLSA Verification / Verify SLSA Provenance',
      'Policy Verification / Validate Policy Bundle',
    ]);
    expect(parsed.thresholds.map(t => [t.key, t.value])).toEqual([
      ['verdict-coverage', 95],
      ['rework-cycles', 2],
      ['artifacts-signed', 100],
      ['provenance-verified', 100],
      ['negative-tests-blocked', 1],
      ['drift-incidents', 0],
      ['label-accuracy', 100],
    ]);
    expect(parsed.gates[0]).toMatchObject({ line: 27 });
  });

  it("reads the seed's style, including other ≥N% thresholds", () => {
    const parsed = parseAgentInstructions(SEED_STYLE);
    expect(parsed.gates.map(g => g.name)).toHaveLength(4);
    expect(parsed.thresholds.map(t => [t.key, t.value])).toEqual([
      ["gate # requires ≥#% coverage of the prd's acceptance criteria.", 85],
      ['verdict-coverage', 95],
      ['rework-cycles', 2],
      ['drift-incidents', 0],
    ]);
  });

  it('does not take numbers inside gate names or versions for thresholds', () => {
    const parsed = parseAgentInstructions(
      '- `LEO Gate Validation / Run Gate 3 for PRD-*`\nSLSA Provenance v0.2, CycloneDX 1.5\n',
    );
    expect(parsed.thresholds).toEqual([]);
  });
});

describe('compareAgentInstructions', () => {
  it('finds no drift between the template pair', () => {
    expect(compareAgentInstructions(TEMPLATE_AGENTS, TEMPLATE_CLAUDE)).toEqual(
      [],
    );
  });

  it('reports a changed threshold with both lines', () => {
    const claude = TEMPLATE_CLAUDE.replace(
      '≤2 rework cycles',
      '≤3 rework cycles',
    );
    expect(compareAgentInstructions(TEMPLATE_AGENTS, claude)).toEqual([
      {
        kind: 'threshold-mismatch',
        subject: 'rework-cycles',
        agents: 'L37: - **≤2 rework cycles per PR (Codex → Claude → PLAN)**',
        agentsLine: 37,
        claude: 'L37: - **≤3 rework cycles per PR (Codex → Claude → PLAN)**',
        claudeLine: 37,
      },
    ]);
  });

  it('reports a renamed gate on both sides', () => {
    const claude = TEMPLATE_CLAUDE.replace(
      'Policy Verification / Validate Policy Bundle',
      'Policy Verification / Validate Policies',
    );
    expect(compareAgentInstructions(TEMPLATE_AGENTS, claude)).toEqual([
      {
        kind: 'gate-missing',
        subject: 'Policy Verification / Validate Policy Bundle',
        agents: 'L30: - `Policy Verification / Validate Policy Bundle`',
        agentsLine: 30,
      },
      {
        kind: 'gate-missing',
        subject: 'Policy Verification / Validate Policies',
        claude: 'L30: - `Policy Verification / Validate Policies`',
        claudeLine: 30,
      },
    ]);
  });

  it('reports a threshold only one file states', () => {
    const agents = TEMPLATE_AGENTS.replace(
      '- **100% label accuracy (auto-labels match actual state)**\n',
      '',
    );
    expect(compareAgentInstructions(agents, TEMPLATE_CLAUDE)).toEqual([
      expect.objectContaining({
        kind: 'threshold-missing',
        subject: 'label-accuracy',
        claudeLine: 42,
      }),
    ]);
  });

  it('reports a changed ≥N% line outside the criteria', () => {
    const claude = SEED_STYLE.replace('≥85%', '≥80%');
    expect(compareAgentInstructions(SEED_STYLE, claude)).toEqual([
      {
        kind: 'threshold-mismatch',
        subject:
          "gate # requires ≥#% coverage of the prd's acceptance criteria.",
        agents:
          "L3: Gate 3 requires ≥85% coverage of the PRD's acceptance criteria.",
        agentsLine: 3,
        claude:
          "L3: Gate 3 requires ≥80% coverage of the PRD's acceptance criteria.",
        claudeLine: 3,
      },
    ]);
  });

  it('compares the two styles by meaning, not by layout', () => {
    const seedPassBar = `## Gates
  - "LEO Gate Validation / Run Gate 3 for PRD-*"
  - "Story Release Gate Check / Check Story Release Gate"
  - "SLSA Verification / Verify SLSA Provenance"
  - "Policy Verification / Validate Policy Bundle"

### Pass Bar (Must achieve ALL)

- [ ] **≥95% PRs with PLAN verdict** recorded in database
- [ ] **≤2 rework cycles** per PR (Codex → Claude → PLAN)
- [ ] **100% artifacts signed** with Sigstore (non-sandbox)
- [ ] **100% provenance verified** at admission control
- [ ] **≥1 blocked negative test** in production (real Kubernetes)
- [ ] **0 drift incidents** between AGENTS.md and CLAUDE.md
- [ ] **100% label accuracy** (auto-labels match actual state)
`;
    expect(compareAgentInstructions(TEMPLATE_AGENTS, seedPassBar)).toEqual([]);
    expect(
      compareAgentInstructions(
        TEMPLATE_AGENTS,
        seedPassBar.replace('**≥95%', '**≥90%'),
      ),
    ).toEqual([
      expect.objectContaining({
        kind: 'threshold-mismatch',
        subject: 'verdict-coverage',
        claudeLine: 9,
      }),
    ]);
  });

  it('reports a missing file, and nothing when both are missing', () => {
    expect(compareAgentInstructions(TEMPLATE_AGENTS, undefined)).toEqual([
      { kind: 'file-missing', subject: 'CLAUDE.md' },
    ]);
    expect(compareAgentInstructions(undefined, undefined)).toEqual([]);
  });
});
