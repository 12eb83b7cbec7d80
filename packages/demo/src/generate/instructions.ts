import {
  DEFAULT_LANE_LABELS,
  DEFAULT_REQUIRED_CHECKS,
  LANE_STATES,
  NEGATIVE_TESTS,
} from '@dual-lane/plugin-dual-lane-common';
import { SUPERVISOR } from './story';

/*
 * AGENTS.md and CLAUDE.md as the dual-lane repository template renders them
 * with the default settings (see the scaffolder module's skeleton), and the
 * drifted CLAUDE.md of the drift scenario.
 */

const GO_NO_GO = [
  '≥95% PRs with PLAN verdict recorded in database',
  '≤2 rework cycles per PR (Codex → Claude → PLAN)',
  '100% artifacts signed with Sigstore (non-sandbox)',
  '100% provenance verified at admission control',
  '≥1 blocked negative test in production (real Kubernetes)',
  '0 drift incidents between AGENTS.md and CLAUDE.md',
  '100% label accuracy (auto-labels match actual state)',
];

interface Rendering {
  lane: 'agents' | 'claude';
  requiredChecks?: readonly string[];
  goNoGo?: readonly string[];
}

function render({
  lane,
  requiredChecks = DEFAULT_REQUIRED_CHECKS,
  goNoGo = GO_NO_GO,
}: Rendering) {
  const title = lane === 'agents' ? 'AGENTS.md' : 'CLAUDE.md';
  const intro =
    lane === 'agents'
      ? [
          'Instructions for the builder lane (Codex) of this dual-lane repository.',
          '',
          '- Work only on `staging/<slug>` branches; never push to `main`.',
          '- When a change is ready for the enforcer, commit with `[CODEX-READY:<slug>]` in the message.',
          '- Produce the artifact bundle (`artifact.tar.gz`: `changes.patch`, `merge-base.sha`,',
          '  `attestation.intoto`, `sbom.cdx.json`, optionally `rollback.sql`) with the change.',
          '- Reference the PRD (`PRD-<number>`) the change implements.',
        ]
      : [
          'Instructions for the enforcer lane (Claude/EXEC) of this dual-lane repository.',
          '',
          "- Apply the builder's change from `staging/<slug>` on `feature/<slug>` and",
          '  commit with `[CLAUDE-APPLIED:<slug>]` in the message.',
          '- Open the pull request to `main` naming the PRD (`PRD-<number>`) and the stories',
          '  (`STORY-<number>`) it releases, with their acceptance criteria as checked boxes.',
          '- Do not merge: the supervisor (PLAN) records the verdict by reviewing the pull request.',
        ];
  const other = lane === 'agents' ? 'CLAUDE.md' : 'AGENTS.md';
  return [
    `# ${title}`,
    '',
    ...intro,
    '',
    '## Lanes',
    '',
    '| Lane | Who | Branch | Marker in the commit message |',
    '|---|---|---|---|',
    '| Builder | Codex | `staging/<slug>` | `[CODEX-READY:<slug>]` |',
    '| Enforcer | Claude/EXEC | `feature/<slug>` | `[CLAUDE-APPLIED:<slug>]` |',
    '| Supervisor | PLAN | pull request review or comment | the verdict: `[PLAN-VERDICT:approved]`, `[PLAN-VERDICT:changes-requested]` or `[PLAN-VERDICT:rejected]`, or an approving / changes-requesting review |',
    '',
    `Only these GitHub accounts record PLAN verdicts: ${SUPERVISOR}.`,
    '',
    'The pull request goes from `feature/<slug>` to `main`.',
    'Its lane state label is set by `.github/workflows/auto-labels.yml`:',
    '',
    ...LANE_STATES.map(
      s =>
        `- \`${DEFAULT_LANE_LABELS[s].name}\`: ${DEFAULT_LANE_LABELS[s].description}`,
    ),
    '',
    '<!-- dual-lane:gates:begin -->',
    '## Required gates',
    '',
    'Branch protection on `main` requires these status checks. Each one is',
    'reported by the workflow job named after the slash; a check of the same name from another',
    'app does not count where the gate is pinned to an app.',
    '',
    ...requiredChecks.map(
      name => `- \`${name}\` (reported by \`github-actions\`)`,
    ),
    '',
    '## Go/No-Go thresholds',
    '',
    'Scaling needs all of:',
    '',
    ...goNoGo.map(line => `- **${line}**`),
    '',
    '## Negative tests',
    '',
    `A gate must block each of: \`${NEGATIVE_TESTS.join('`, `')}\`.`,
    '<!-- dual-lane:gates:end -->',
    '',
    `**Sync note:** If gate names or thresholds change in \`${other}\`, update this file in the same PR.`,
    '**Drift Check:** Weekly CI job `leo-drift-check.yml` validates alignment and reports on every pull request;',
    'failures do not block merges (the check is not required), the dual-lane backend records each as a drift incident.',
    '',
  ].join('\n');
}

export function agentsMd(): string {
  return render({ lane: 'agents' });
}

export function claudeMd(): string {
  return render({ lane: 'claude' });
}

/**
 * CLAUDE.md after an enforcer-lane edit that was not mirrored in
 * AGENTS.md: the verdict coverage bar lowered to 90% and the policy gate
 * renamed.
 */
export function driftedClaudeMd(): string {
  return render({
    lane: 'claude',
    requiredChecks: DEFAULT_REQUIRED_CHECKS.map(name =>
      name === 'Policy Verification / Validate Policy Bundle'
        ? 'Policy Verification / Validate Policies'
        : name,
    ),
    goNoGo: GO_NO_GO.map(line =>
      line.startsWith('≥95% PRs with PLAN verdict')
        ? '≥90% PRs with PLAN verdict recorded in database'
        : line,
    ),
  });
}
